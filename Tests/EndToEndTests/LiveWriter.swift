import Foundation
import TestSupport

/// `eventscope demo --live` appending to a store in a process of its own.
final class LiveWriter: Sendable {
    let child: ChildProcess

    init(store: String, rate: Int) throws {
        child = try startEventscope(["demo", "--live", "--store", store, "--rate", String(rate)])
    }

    /// Stops it with SIGINT, as an operator would, and returns its exit status (0 when it stopped cleanly).
    func stop() async throws -> Int32 {
        child.signal(SIGINT)
        return try await child.exitStatus()
    }

    /// Kills it at once, for a `defer`: does nothing once it has ended, and does not wait.
    func kill() { child.signal(SIGKILL) }

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
