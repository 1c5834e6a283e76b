import EventStore
import Foundation

/// How `eventscope demo` recognises the stores it made: their SQLite `application_id` (database
/// header offset 68) is "EVSC". Readers never look at it; only the demo's writer does, so that a
/// typo in `demo --live --store` cannot append fake events to a real store.
public enum DemoMarker {
    /// "EVSC" as a big-endian 32-bit integer.
    public static let applicationID: Int32 = 0x4556_5343

    static let setSQL = "PRAGMA application_id = \(applicationID)"

    /// Whether `path` carries the marker. Read from the file's header, not through SQLite, so the
    /// check opens no connection and creates no `-wal`/`-shm`; the demo never changes the id after
    /// creating the store, so the header in the main file is always current.
    public static func isMarked(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let header = try? handle.read(upToCount: 72), header.count == 72 else { return false }
        let id = header[68..<72].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return Int32(bitPattern: id) == applicationID
    }

    /// Refuses a store the demo did not make, unless `force`.
    public static func check(_ path: String, force: Bool) throws(StoreError) {
        guard !force, FileManager.default.fileExists(atPath: path), !isMarked(path) else { return }
        throw .badArgument("""
            \(path) was not made by `eventscope demo`: the demo writer appends fake events, so it writes only to \
            its own stores. Choose another --store, or pass --force to append to this one anyway
            """)
    }
}
