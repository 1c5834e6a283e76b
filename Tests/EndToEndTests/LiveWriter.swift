import Foundation
import TestSupport

/// `eventscope demo --live` appending to a store in a process of its own.
final class LiveWriter {
    let child: ChildProcess

    init(store: String, rate: Int) throws {
        child = try ChildProcess.spawn(eventscopeBinary, ["demo", "--live", "--store", store, "--rate", String(rate)],
                                       environment: ProcessInfo.processInfo.environment)
    }

    /// Stops it with SIGINT, as an operator would, and SIGKILL if it ignores that.
    func stop() {
        child.signal(SIGINT)
        if child.wait(timeout: 3) == nil {
            child.signal(SIGKILL)
            _ = child.wait()
        }
    }

    /// Processes running `demo --live` on `store`, found through /proc.
    static func pids(store: String) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry in
            guard let pid = pid_t(entry), let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return arguments.contains("demo") && arguments.contains("--live") && arguments.contains(store) ? pid : nil
        }
    }
}
