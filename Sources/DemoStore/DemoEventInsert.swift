import GRDB
import GRDBSQLite

/// The generator's one hot statement, bound through SQLite's C API: ten million events skip ten
/// million arrays of boxed `DatabaseValueConvertible` arguments.
struct DemoEventInsert {
    let statement: Statement
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ db: Database) throws {
        statement = try db.cachedStatement(sql: DemoBulkLoad.insertEvent)
    }

    /// One `es_events` row; the idempotency key is the event id, as the demo's writers make it.
    func execute(position: Int64, id: String, stream: String, type: String, version: Int64, data: String,
                 metadata: String, timestamp: String, schemaVersion: Int64) throws {
        let s = statement.sqliteStatement
        sqlite3_bind_int64(s, 1, position)
        bind(id, 2)
        bind(stream, 3)
        bind(type, 4)
        sqlite3_bind_int64(s, 5, version)
        bind(data, 6)
        bind(metadata, 7)
        bind(timestamp, 8)
        sqlite3_bind_int64(s, 9, schemaVersion)
        bind(id, 10)
        let code = sqlite3_step(s)
        sqlite3_reset(s)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errstr(code)))
        }
    }

    private func bind(_ text: String, _ index: Int32) {
        var text = text
        text.withUTF8 { utf8 in
            // An empty buffer may have no address, and a NULL pointer would bind NULL, not "".
            guard let base = utf8.baseAddress else { return _ = sqlite3_bind_text(statement.sqliteStatement, index, "", 0, nil) }
            sqlite3_bind_text(statement.sqliteStatement, index, base, Int32(utf8.count), Self.transient)
        }
    }
}
