import EventStore
import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// The reader's connection to a SQLite file, opened so that reading can never harm the store.
///
/// A WAL store's reader needs the `-wal` and `-shm` files, and SQLite creates them when they are
/// missing, owned by whoever reads. Root's are handed to the database's owner and the owner's are its
/// own; anyone else's lock the owner's application out ("attempt to write a readonly database").
/// So, holding a `SharedLock` (sidecars that exist stay while it is held):
/// - sidecars that both exist are used as they are (read-only when they are not ours: SQLite ≥ 3.22
///   reads a WAL database through a read-only `-shm`), and nothing is created;
/// - root and the owner may let SQLite create them, as before;
/// - anyone else, or a read-only directory, reads the database file with `immutable=1` while the
///   `-wal` does not exist (or is empty). No writer can be connected then, so the file is complete;
///   each read is checked against the files' `Fingerprint` taken before the connection read anything,
///   and a read during which anything changed is thrown away and done again on a new connection
///   (live, once the writer's own sidecars exist). So every answer is the store's current state;
/// - a `-wal` holding frames without its `-shm` cannot be read without creating the `-shm`: an error
///   says so and what to do.
final class ReaderConnection: Sendable {
    enum Mode: Sendable, Equatable {
        case live
        /// Immutable: valid while the files still have this fingerprint.
        case snapshot(StoreFiles.Fingerprint)
    }

    struct State: Sendable {
        var database: any DatabaseReader
        var mode: Mode
    }

    let files: StoreFiles
    let configuration: Configuration
    /// Held for the connection's life on a WAL store; nil on a rollback-journal store.
    let pin: SharedLock?
    private let state: Mutex<State>

    private init(files: StoreFiles, configuration: Configuration, pin: SharedLock?, state: State) {
        self.files = files
        self.configuration = configuration
        self.pin = pin
        self.state = Mutex(state)
    }

    var current: State { state.withLock { $0 } }
    var database: any DatabaseReader { current.database }

    static func open(path: String, configuration: Configuration) throws -> ReaderConnection {
        let files = StoreFiles(path: path)
        // A rollback-journal store has no sidecars to create (a read-only connection never writes a journal).
        guard files.isWAL else {
            let state = State(database: try connect(path: path, configuration: configuration), mode: .live)
            return ReaderConnection(files: files, configuration: configuration, pin: nil, state: state)
        }
        let pin = try SharedLock(path: path)
        let state = try connectPinned(files, configuration: configuration)
        return ReaderConnection(files: files, configuration: configuration, pin: pin, state: state)
    }

    /// How to read a WAL store without creating what would lock its owner out (see the type's comment).
    static func connectPinned(_ files: StoreFiles, configuration: Configuration) throws -> State {
        let fingerprint = files.fingerprint()
        if fingerprint.wal != nil, fingerprint.shm != nil {
            return State(database: try connect(path: files.path, configuration: configuration), mode: .live)
        }
        if files.mayCreateSidecars {
            do {
                return State(database: try connect(path: files.path, configuration: configuration), mode: .live)
            } catch let error as DatabaseError where [.SQLITE_READONLY, .SQLITE_CANTOPEN].contains(error.resultCode) {
                // A directory this process cannot write: read without them, as anyone else does.
            }
        }
        if (fingerprint.wal?.size ?? 0) == 0 {
            return State(database: try snapshot(files, configuration: configuration), mode: .snapshot(fingerprint))
        }
        // A writer that has just opened the store creates its -shm at its first read: give it a moment.
        let deadline = Date().addingTimeInterval(2)
        while Date() < deadline {
            if StoreFiles.state(files.shm) != nil { return try connectPinned(files, configuration: configuration) }
            usleep(20_000)
        }
        let who = files.mayCreateSidecars ? "its directory is read-only" : "you are not its owner"
        throw StoreError.unsafeToOpen(location: files.path, hint: """
            its -wal holds changes not yet in the database file, but there is no -shm, and eventscope may not create \
            one (\(who); a -shm you create would lock the owner's application out). Open the store once with its \
            application (or `sqlite3 \(files.path) 'PRAGMA wal_checkpoint'` as its owner), or run eventscope as its \
            owner or as root
            """)
    }

    /// The database file alone, with `immutable=1`: no lock, no sidecar, no write of any kind.
    static func snapshot(_ files: StoreFiles, configuration: Configuration) throws -> any DatabaseReader {
        guard sqlite3_compileoption_used("USE_URI") == 1 else {
            throw StoreError.unsafeToOpen(location: files.path, hint: """
                reading it without creating its -wal/-shm needs a SQLite built with URI filenames; \
                run eventscope as the store's owner or as root, or from a directory you can write
                """)
        }
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        let escaped = files.path.addingPercentEncoding(withAllowedCharacters: allowed) ?? files.path
        return try DatabaseQueue(path: "file:\(escaped)?immutable=1", configuration: configuration)
    }

    /// A pool lets the explorer's queries run side by side; it needs WAL, so other journal modes get a queue.
    static func connect(path: String, configuration: Configuration) throws -> any DatabaseReader {
        let probe = try DatabaseQueue(path: path, configuration: configuration)
        let mode = try probe.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } ?? ""
        guard mode.lowercased() == "wal" else { return probe }
        try probe.close()
        var pooled = configuration
        pooled.maximumReaderCount = 4
        return try DatabasePool(path: path, configuration: pooled)
    }

    /// Runs a read. On a snapshot, a read during which any of the files changed is not trusted: it is
    /// done again on a new connection (a live one once the writer's sidecars exist).
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        for _ in 0..<5 {
            let used = current
            guard case .snapshot(let fingerprint) = used.mode else { return try await used.database.read(body) }
            let outcome: Result<T, any Error>
            do {
                outcome = .success(try await used.database.read(body))
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                outcome = .failure(error)
            }
            if files.fingerprint() == fingerprint { return try outcome.get() }
            try reopen(replacing: used.database)
        }
        throw StoreError.queryFailed(location: files.path, reason: "the store kept changing while it was being read; try again")
    }

    /// Whether `database` is still the connection to use: a snapshot whose files changed is replaced.
    func validate(_ database: any DatabaseReader) throws -> Bool {
        let used = current
        guard used.database === database else { return false }
        guard case .snapshot(let fingerprint) = used.mode, files.fingerprint() != fingerprint else { return true }
        try reopen(replacing: database)
        return false
    }

    private func reopen(replacing stale: any DatabaseReader) throws {
        try state.withLock { (state: inout State) throws in
            guard state.database === stale else { return } // another read has already reopened
            state = try Self.connectPinned(files, configuration: configuration)
        }
    }
}
