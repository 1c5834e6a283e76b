import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A named pipe a child process writes into as into `| head -1`: the reading end opens first
/// (without waiting for a writer), so the child's opening of the writing end, which posix_spawn
/// does before it returns, finds a reader and does not block. Close-on-exec, so no other test's
/// child holds the reading end open.
public struct Fifo {
    public let path: String
    private let reader: Int32

    public init(in directory: TemporaryDirectory, name: String = "out") throws {
        path = directory.file(name)
        guard mkfifo(path, 0o600) == 0 else { throw ChildProcess.Failure(description: "mkfifo \(path): \(String(cString: strerror(errno)))") }
        reader = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard reader >= 0 else { throw ChildProcess.Failure(description: "open \(path): \(String(cString: strerror(errno)))") }
    }

    /// Waits until a whole line has arrived, then closes the reading end: the writer's next write
    /// finds no reader (EPIPE).
    public func readFirstLineAndLeave(from what: String) async throws {
        defer { close(reader) }
        var received = [UInt8]()
        try await wait(for: "the first line from \(what)") { () -> Poll<Void> in
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = read(reader, &buffer, buffer.count)
            if count > 0 { received += buffer.prefix(count) }
            return received.contains(0x0A) ? .ready(()) : .pending(seen: "\(received.count) bytes")
        }
    }
}
