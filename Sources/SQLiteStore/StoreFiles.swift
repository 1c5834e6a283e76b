import EventStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A SQLite database file and its WAL sidecars (`-wal`, `-shm`) as seen from outside SQLite: whether
/// the file is in WAL mode, whether this process may let SQLite create the sidecars, and a
/// fingerprint that changes whenever anything writes to any of the three.
struct StoreFiles: Sendable {
    let path: String
    var wal: String { path + "-wal" }
    var shm: String { path + "-shm" }

    /// One file's identity, size and times (`nil` when it does not exist).
    struct FileState: Equatable, Sendable {
        var device: UInt64, inode: UInt64, size: Int64
        var modified: Int, modifiedNanoseconds: Int, changed: Int, changedNanoseconds: Int
    }

    /// The three files at one moment. A checkpoint writes the database file (its size or times
    /// change); a writer that opens the store creates or grows the `-wal` and creates the `-shm`.
    struct Fingerprint: Equatable, Sendable {
        var database: FileState?, wal: FileState?, shm: FileState?
    }

    static func state(_ path: String) -> FileState? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileState(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                         modified: info.st_mtim.tv_sec, modifiedNanoseconds: info.st_mtim.tv_nsec,
                         changed: info.st_ctim.tv_sec, changedNanoseconds: info.st_ctim.tv_nsec)
    }

    func fingerprint() -> Fingerprint {
        Fingerprint(database: Self.state(path), wal: Self.state(wal), shm: Self.state(shm))
    }

    /// The database header says WAL (file format bytes 18 and 19 are 2). Anything else, including a
    /// file too short to be a database, is left for SQLite to judge.
    var isWAL: Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let header = try? handle.read(upToCount: 20), header.count == 20 else { return false }
        return header.starts(with: Array("SQLite format 3\0".utf8)) && header[18] == 2 && header[19] == 2
    }

    /// Whether sidecars SQLite creates for this process are safe for the store's owner: SQLite hands
    /// them to the database file's owner when it runs as root, and the owner's own files are its own.
    /// Anyone else would leave files the owner's application cannot write ("attempt to write a
    /// readonly database").
    var mayCreateSidecars: Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return geteuid() == 0 || geteuid() == info.st_uid
    }
}

/// A read lock on the bytes SQLite's unix VFS locks for a SHARED lock, taken on a descriptor of our
/// own. It is what any SQLite reader holds, so it never blocks the owner's reads or commits; what it
/// blocks is the EXCLUSIVE lock SQLite needs to delete a WAL database's `-wal` and `-shm` (at its last
/// connection's close) or to leave WAL mode. So while it is held, sidecars that exist stay, and a
/// `-wal` that does not exist proves that no connection has written since it was taken.
///
/// On Linux it is an open-file-description lock: closing another descriptor of the file in this
/// process (SQLite closes its own) does not drop it, as it would drop a classic POSIX lock.
final class SharedLock: Sendable {
    /// SQLite's `PENDING_BYTE + 2` and `SHARED_SIZE` (os_unix.c): the range a SHARED lock reads.
    static let sharedFirst: Int64 = 0x4000_0002
    static let sharedSize: Int64 = 510

    let descriptor: Int32

    /// Waits up to `timeout` while another connection holds an EXCLUSIVE lock (a commit in a
    /// rollback-journal store, a switch of journal mode, a last close cleaning up).
    init(path: String, timeout: Double = 5) throws(StoreError) {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .unreachable(location: path, reason: String(cString: strerror(errno)))
        }
        var lock = flock()
        lock.l_type = Int16(F_RDLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = off_t(Self.sharedFirst)
        lock.l_len = off_t(Self.sharedSize)
        #if os(Linux)
        let command: Int32 = 37 // F_OFD_SETLK, which Glibc's module map leaves out
        #else
        let command = F_SETLK
        #endif
        let deadline = Date().addingTimeInterval(timeout)
        while fcntl(descriptor, command, &lock) != 0 {
            let failure = errno
            guard failure == EAGAIN || failure == EACCES || failure == EINTR, Date() < deadline else {
                // `self` is whole here, so `deinit` closes the descriptor.
                throw failure == EAGAIN || failure == EACCES
                    ? .queryFailed(location: path, reason: "database is locked (another connection holds it exclusively)")
                    : .unreachable(location: path, reason: "cannot lock the file: \(String(cString: strerror(failure)))")
            }
            usleep(10_000)
        }
    }

    deinit { close(descriptor) }
}

/// Whether anything was written to a SQLite store since the last look, from its files alone, with no
/// query, so `tail` can look often and read only when there is something to read. A commit changes the
/// WAL index's header (its change counter and last frame, in `-shm`) or, without WAL, the database
/// header's change counter; file sizes and times are looked at too. A reader's own marks in `-shm`
/// lie after that header and are no change.
public final class SQLiteChangeProbe: @unchecked Sendable {
    private struct Look: Equatable {
        var database: StoreFiles.FileState?, wal: StoreFiles.FileState?
        var walIndexHeader: [UInt8], databaseHeader: [UInt8]
    }

    private let files: StoreFiles
    private var last: Look?

    public init(path: String) { files = StoreFiles(path: path) }

    /// True when the store differs from the last look (and at the first).
    public func changed() -> Bool {
        let now = Look(database: StoreFiles.state(files.path), wal: StoreFiles.state(files.wal),
                       walIndexHeader: Self.bytes(files.shm, count: 48), databaseHeader: Self.bytes(files.path, count: 100))
        defer { last = now }
        return last != now
    }

    /// The first `count` bytes of a file (fewer, or none, when it is shorter or missing).
    static func bytes(_ path: String, count: Int) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: count)
        let read = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, 0) }
        return Array(buffer.prefix(max(0, read)))
    }
}
