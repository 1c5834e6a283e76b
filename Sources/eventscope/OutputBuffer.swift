#if canImport(Glibc)
import Glibc
#endif
import EventStore

/// Standard output for bulk commands: JSON built as bytes and written 64 kB at a time, so a
/// million events cost a few thousand `write(2)` calls and no `String` appends.
struct OutputBuffer {
    static let flushSize = 1 << 16
    var json = JSONBytes(capacity: 2 * flushSize)

    mutating func flushIfFull() throws(OutputClosed) {
        if json.count >= Self.flushSize { try flush() }
    }

    mutating func flush() throws(OutputClosed) {
        guard json.count > 0 else { return }
        let failed = json.bytes.withUnsafeBytes { Output.writeAll(STDOUT_FILENO, $0) }
        if failed != 0 { throw OutputClosed(code: failed) }
        json.removeAll()
    }
}
