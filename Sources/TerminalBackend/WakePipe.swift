#if canImport(Glibc)
import Glibc
#endif

/// Lets the UI thread sleep until a key arrives, another thread has news, or a timeout passes,
/// instead of polling: `wait` blocks in poll(2) on standard input and a self-pipe.
public final class WakePipe: Sendable {
    private let readEnd: Int32
    private let writeEnd: Int32

    /// The write end, for a signal handler to wake `wait` (write(2) is async-signal-safe).
    var signalDescriptor: Int32 { writeEnd }

    public init() {
        var fds: [Int32] = [-1, -1]
        _ = pipe(&fds)
        readEnd = fds[0]
        writeEnd = fds[1]
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }

    /// Wakes a waiting `wait` (safe from any thread; extra wakes coalesce).
    public func wake() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Sleeps until standard input is readable, `wake` was called, or `milliseconds` pass.
    public func wait(milliseconds: Int32) {
        var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, 2, milliseconds)
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &buffer, buffer.count) > 0 {}
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }
}
