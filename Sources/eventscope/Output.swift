import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Thrown when standard output is gone (the reader of a pipe exited): the command ends quietly.
struct OutputClosed: Error {}

/// Standard output and error, written with write(2): unbuffered (so `tail` never sits on an event),
/// no shared stdio state, and a closed pipe turned into a clean exit.
enum Output {
    static func write(_ text: String) throws(OutputClosed) {
        if !writeAll(STDOUT_FILENO, text) { throw OutputClosed() }
    }

    static func line(_ text: String = "") throws(OutputClosed) { try write(text + "\n") }

    static func note(_ text: String) { _ = writeAll(STDERR_FILENO, text + "\n") }

    /// Progress on a terminal: rewrites the current line.
    static func progress(_ text: String) { _ = writeAll(STDERR_FILENO, text) }

    static func fail(_ message: String, status: Int32, prefix: Bool = true) -> Never {
        note((prefix ? "eventscope: " : "") + message)
        exit(status)
    }

    static func writeAll(_ fd: Int32, _ text: String) -> Bool {
        Array(text.utf8).withUnsafeBytes { writeAll(fd, $0) }
    }

    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            done += n
        }
        return true
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
