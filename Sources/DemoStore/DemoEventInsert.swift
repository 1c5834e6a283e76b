import GRDB
import GRDBSQLite

/// The generator's one hot statement, bound through SQLite's C API straight from the row's bytes:
/// ten million events skip ten million arrays of boxed arguments and every per-field `String`.
struct DemoEventInsert {
    let statement: Statement

    init(_ db: Database) throws {
        statement = try db.cachedStatement(sql: DemoBulkLoad.insertEvent)
    }

    /// Where each text field lies in the row's bytes.
    struct Fields {
        var id = 0..<0, stream = 0..<0, type = 0..<0, data = 0..<0, metadata = 0..<0, timestamp = 0..<0
    }

    /// One `es_events` row; the idempotency key is the event id, as the demo's writers make it.
    func execute(position: Int64, version: Int64, schemaVersion: Int64, row: DemoBytes, fields: Fields) throws {
        let s = statement.sqliteStatement
        let code = row.bytes.withUnsafeBufferPointer { bytes -> Int32 in
            // SQLITE_STATIC (nil): SQLite reads the bytes in place; they do not change before the reset below.
            func bind(_ range: Range<Int>, _ index: Int32) {
                guard !range.isEmpty, let base = bytes.baseAddress else { return _ = sqlite3_bind_text(s, index, "", 0, nil) }
                sqlite3_bind_text(s, index, UnsafeRawPointer(base + range.lowerBound).assumingMemoryBound(to: CChar.self),
                                  Int32(range.count), nil)
            }
            sqlite3_bind_int64(s, 1, position)
            bind(fields.id, 2)
            bind(fields.stream, 3)
            bind(fields.type, 4)
            sqlite3_bind_int64(s, 5, version)
            bind(fields.data, 6)
            bind(fields.metadata, 7)
            bind(fields.timestamp, 8)
            sqlite3_bind_int64(s, 9, schemaVersion)
            bind(fields.id, 10)
            let code = sqlite3_step(s)
            sqlite3_reset(s)
            return code
        }
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errstr(code)))
        }
    }
}
