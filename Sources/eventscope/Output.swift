import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Thrown when standard output takes no more: when the reader of a pipe exited (`EPIPE`) the
/// command ends quietly with status 0; any other failure (a full disk, an I/O error) is an error,
/// status 1, so a truncated file is never reported as a success.
struct OutputClosed: Error {
    /// The `errno` of the write that failed.
    var code: Int32 = EPIPE

    var readerLeft: Bool { code == EPIPE }
    var description: String { "cannot write to standard output: \(String(cString: strerror(code)))" }
}

/// Standard output and error, written with write(2): unbuffered (so `tail` never sits on an event),
/// no shared stdio state, and a closed pipe turned into a clean exit.
enum Output {
    static func write(_ text: String) throws(OutputClosed) {
        let failed = writeAll(STDOUT_FILENO, text)
        if failed != 0 { throw OutputClosed(code: failed) }
    }

    static func line(_ text: String = "") throws(OutputClosed) { try write(text + "\n") }

    static func note(_ text: String) { _ = writeAll(STDERR_FILENO, text + "\n") }

    /// Progress on a terminal: rewrites the current line.
    static func progress(_ text: String) { _ = writeAll(STDERR_FILENO, text) }

    static func fail(_ message: String, status: Int32, prefix: Bool = true) -> Never {
        note((prefix ? "eventscope: " : "") + message)
        exit(status)
    }

    /// Writes all of `text`: 0, or the `errno` of the write that failed.
    static func writeAll(_ fd: Int32, _ text: String) -> Int32 {
        Array(text.utf8).withUnsafeBytes { writeAll(fd, $0) }
    }

    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            done += n
        }
        return 0
    }
}

/// Set by SIGINT/SIGTERM; long-running commands check it and end cleanly.
let stopRequested = Atomic<Bool>(false)

/// Turns Ctrl-C and SIGTERM into `stopRequested` instead of killing the process mid-write.
enum StopSignals {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    static func install() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { stopRequested.store(true, ordering: .relaxed) }
            source.resume()
            sources.append(source)
        }
    }

    static var stop: Bool { stopRequested.load(ordering: .relaxed) }
}
