import EventStore
import Foundation
import GRDBSQLite

/// The one connection through which eventscope writes to a SQLite store: it can insert a row into
/// `es_projection_commands` and nothing else.
///
/// It is opened on its own (never the read-only adapter's connections, and not through GRDB, which
/// installs an authorizer of its own on the connections it manages), read-write but never created,
/// and an authorizer (`sqlite3_set_authorizer`) is installed before any statement runs. SQLite asks
/// it about every table, column, pragma, function and schema change a statement touches while the
/// statement is prepared, including the statements of any trigger the insert would fire; it allows
/// only an insert into `main.es_projection_commands` and transaction control, and denies the rest,
/// so the statement fails to prepare. A statement SQLite prepares without asking (`REINDEX`) is
/// refused too unless it is read-only or the allowed insert. `ATTACH` is denied and its limit is 0.
///
/// Not `Sendable`: one thread uses it at a time, for a moment (`SQLiteCommandRequester`).
public final class RequestConnection {
    public let path: String
    /// Seconds a statement waits for another connection's lock.
    public let busyTimeout: Double
    private let handle: OpaquePointer
    private let rules: Authorization
    private var isOpen = true

    /// The statement the connection exists for.
    static let insert = """
        INSERT INTO es_projection_commands (projection_name, command, requested_by, requested_at, status) \
        VALUES (?1, ?2, ?3, ?4, 'pending')
        """

    private init(path: String, busyTimeout: Double, handle: OpaquePointer, rules: Authorization) {
        self.path = path
        self.busyTimeout = busyTimeout
        self.handle = handle
        self.rules = rules
    }

    deinit { if isOpen { sqlite3_close_v2(handle) } }

    /// Opens `path` read-write (never creating it) with the authorizer installed. `busyTimeout`
    /// seconds is how long a statement waits for the store's writer or runner to let go of its lock.
    public static func open(path: String, busyTimeout: Double = 5) throws(RequestError) -> RequestConnection {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .noSuchFile(path: path) }
        if isDirectory.boolValue { throw .notAStore(location: path, reason: "it is a directory") }
        // Without URI filenames a path is a path, even one that starts with "file:".
        let filename = path.hasPrefix("file:") ? "./" + path : path
        var opened: OpaquePointer?
        let status = sqlite3_open_v2(filename, &opened, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard let handle = opened else { throw .failed(location: path, reason: "SQLite could not allocate a connection") }
        guard status == SQLITE_OK else {
            let message = String(cString: sqlite3_errmsg(handle))
            sqlite3_close_v2(handle)
            throw status & 0xFF == SQLITE_CANTOPEN || status & 0xFF == SQLITE_PERM
                ? .notWritable(location: path, reason: "\(message) as \(Self.userName)")
                : .failed(location: path, reason: message)
        }
        // SQLite falls back to read-only when the file is not writable: say so now, not at the insert.
        if sqlite3_db_readonly(handle, "main") == 1 {
            sqlite3_close_v2(handle)
            throw .notWritable(location: path, reason: "the file is read-only for \(Self.userName)")
        }
        sqlite3_extended_result_codes(handle, 1)
        let busyTimeout = max(0, min(busyTimeout, 3_600))
        sqlite3_busy_timeout(handle, Int32(busyTimeout * 1_000))
        sqlite3_limit(handle, SQLITE_LIMIT_ATTACHED, 0)
        let rules = Authorization()
        sqlite3_set_authorizer(handle, authorize, Unmanaged.passUnretained(rules).toOpaque())
        return RequestConnection(path: path, busyTimeout: busyTimeout, handle: handle, rules: rules)
    }

    /// Files a `pending` request and returns its id. `requestedAt` is written as ISO-8601 UTC.
    public func insertRequest(_ command: String, projection: String, requestedBy: String,
                              requestedAt: Timestamp) throws(RequestError) -> Int64 {
        try run(Self.insert, [projection, command, requestedBy, requestedAt.iso8601])
        return sqlite3_last_insert_rowid(handle)
    }

    /// Runs any statement through the same authorizer: what the tests use to prove that every
    /// statement but the insert is refused. Not for the program itself, which only files requests.
    package func execute(_ sql: String) throws(RequestError) { try run(sql, []) }

    public func close() {
        guard isOpen else { return }
        isOpen = false
        sqlite3_close_v2(handle)
    }

    private func run(_ sql: String, _ texts: [String]) throws(RequestError) {
        precondition(isOpen, "the request connection is closed")
        rules.reset()
        var prepared: OpaquePointer?
        let status = sqlite3_prepare_v2(handle, sql, -1, &prepared, nil)
        guard status == SQLITE_OK else { throw failure(status, statement: sql) }
        guard let statement = prepared else { throw .failed(location: path, reason: "no statement in \(sql.debugDescription)") }
        defer { sqlite3_finalize(statement) }
        if sqlite3_stmt_readonly(statement) == 0, !rules.allowedWrite {
            throw .denied(location: path, statement: sql, reason: "a write SQLite does not submit to the authorizer")
        }
        for (index, text) in texts.enumerated() {
            let bytes = Array(text.utf8)
            let bound = bytes.withUnsafeBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(1, buffer.count)) {
                    sqlite3_bind_text(statement, Int32(index + 1), $0, Int32(buffer.count), transient)
                }
            }
            guard bound == SQLITE_OK else { throw failure(bound, statement: sql) }
        }
        var step = sqlite3_step(statement)
        while step == SQLITE_ROW { step = sqlite3_step(statement) }
        guard step == SQLITE_DONE else { throw failure(step, statement: sql) }
    }

    /// An operator's account of a failed prepare or step.
    private func failure(_ status: Int32, statement sql: String) -> RequestError {
        let message = String(cString: sqlite3_errmsg(handle))
        // SQLite reports a refusal as SQLITE_AUTH or as a plain SQLITE_ERROR, depending on the statement.
        if let refusal = rules.refusal { return .denied(location: path, statement: sql, reason: refusal) }
        switch status & 0xFF {
        case SQLITE_AUTH:
            return .denied(location: path, statement: sql, reason: message)
        case SQLITE_BUSY, SQLITE_LOCKED:
            return .busy(location: path, seconds: busyTimeout)
        case SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM:
            // A WAL store needs its -wal and -shm, which a directory the user cannot write refuses.
            return .notWritable(location: path, reason: "\(message) as \(Self.userName)")
        case SQLITE_NOTADB:
            return .notAStore(location: path, reason: "not a SQLite database")
        case SQLITE_CORRUPT:
            return .notAStore(location: path, reason: "the database file is corrupt (\(message))")
        default:
            if sql == Self.insert, message.hasPrefix("no such table: es_projection_commands") { return .noRunnerTable(location: path) }
            if sql == Self.insert, message.contains("es_projection_commands") { return .unexpectedTable(location: path, reason: message) }
            return .failed(location: path, reason: message)
        }
    }

    static var userName: String {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "uid \(geteuid())" }
        return "user " + String(cString: name)
    }
}

/// SQLite's "copy the bytes now" destructor.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// What the authorizer decided during the last prepare: whether it allowed the insert (or
/// transaction control) and, when it refused something, what.
final class Authorization {
    private(set) var allowedWrite = false
    private(set) var refusal: String?

    func reset() {
        allowedWrite = false
        refusal = nil
    }

    func decide(_ action: Int32, _ first: String?, _ second: String?, database: String?, trigger: String?) -> Int32 {
        if let trigger {
            return refuse("the trigger \(trigger) would run (\(Self.describe(action, first, second)))")
        }
        switch action {
        case SQLITE_INSERT where first?.lowercased() == RunnerSchema.commands && database == "main":
            allowedWrite = true
            return SQLITE_OK
        case SQLITE_TRANSACTION:
            allowedWrite = true
            return SQLITE_OK
        default:
            return refuse(Self.describe(action, first, second))
        }
    }

    private func refuse(_ what: String) -> Int32 {
        if refusal == nil { refusal = "not authorized: " + what }
        return SQLITE_DENY
    }

    static func describe(_ action: Int32, _ first: String?, _ second: String?) -> String {
        let a = first ?? "", b = second ?? ""
        switch action {
        case SQLITE_INSERT: return "an insert into \(a)"
        case SQLITE_UPDATE: return "an update of \(a).\(b)"
        case SQLITE_DELETE: return "a delete from \(a)"
        case SQLITE_READ: return "a read of \(a).\(b)"
        case SQLITE_SELECT: return "a query"
        case SQLITE_PRAGMA: return b.isEmpty ? "PRAGMA \(a)" : "PRAGMA \(a) = \(b)"
        case SQLITE_ATTACH: return "ATTACH (or VACUUM)"
        case SQLITE_DETACH: return "DETACH"
        case SQLITE_ALTER_TABLE: return "ALTER TABLE \(b)"
        case SQLITE_FUNCTION: return "the function \(b)()"
        case SQLITE_SAVEPOINT: return "a savepoint"
        case SQLITE_ANALYZE: return "ANALYZE"
        case SQLITE_REINDEX: return "REINDEX"
        case SQLITE_CREATE_TABLE, SQLITE_CREATE_TEMP_TABLE: return "creating the table \(a)"
        case SQLITE_CREATE_INDEX, SQLITE_CREATE_TEMP_INDEX: return "creating the index \(a)"
        case SQLITE_CREATE_TRIGGER, SQLITE_CREATE_TEMP_TRIGGER: return "creating the trigger \(a)"
        case SQLITE_CREATE_VIEW, SQLITE_CREATE_TEMP_VIEW: return "creating the view \(a)"
        case SQLITE_CREATE_VTABLE: return "creating the virtual table \(a)"
        case SQLITE_DROP_TABLE, SQLITE_DROP_TEMP_TABLE: return "dropping the table \(a)"
        case SQLITE_DROP_INDEX, SQLITE_DROP_TEMP_INDEX: return "dropping the index \(a)"
        case SQLITE_DROP_TRIGGER, SQLITE_DROP_TEMP_TRIGGER: return "dropping the trigger \(a)"
        case SQLITE_DROP_VIEW, SQLITE_DROP_TEMP_VIEW: return "dropping the view \(a)"
        case SQLITE_DROP_VTABLE: return "dropping the virtual table \(a)"
        case SQLITE_RECURSIVE: return "a recursive query"
        default: return "action \(action) on \(a)"
        }
    }
}

/// The C callback: no captures, the rules come in as the context pointer.
private let authorize: @convention(c) (UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?,
                                       UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Int32 = { context, action, first, second, database, trigger in
    guard let context else { return SQLITE_DENY }
    let rules = Unmanaged<Authorization>.fromOpaque(context).takeUnretainedValue()
    return rules.decide(action, first.map { String(cString: $0) }, second.map { String(cString: $0) },
                        database: database.map { String(cString: $0) }, trigger: trigger.map { String(cString: $0) })
}
