import EventStore
import Foundation
import GRDB
import GRDBSQLite

/// The generator's one hot statement on SQLite, bound through SQLite's C API straight from the row's
/// bytes: ten million events skip ten million arrays of boxed arguments and every per-field `String`.
struct DemoEventInsert: DemoEventSink {
    let statement: Statement

    init(_ db: Database) throws {
        statement = try db.cachedStatement(sql: DemoBulkLoad.insertEvent)
    }

    /// One `es_events` row.
    func append(position: Int64, version: Int64, schemaVersion: Int64, row: DemoBytes, fields: DemoEventFields) throws {
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

extension DemoValue: DatabaseValueConvertible {
    var databaseValue: DatabaseValue {
        switch self {
        case .int(let value): value.databaseValue
        case .text(let value): value.databaseValue
        case .null: .null
        }
    }

    static func fromDatabaseValue(_ dbValue: DatabaseValue) -> DemoValue? {
        switch dbValue.storage {
        case .int64(let value): .int(value)
        case .string(let value): .text(value)
        case .null: .null
        case .double, .blob: nil
        }
    }
}

extension DemoEventWriter {
    /// Writes every event into the SQLite store's load table, 50,000 per transaction, then the
    /// streams and the other tables' rows.
    mutating func write(into queue: DatabaseQueue, progress: DemoStoreGenerator.Progress?, started: Date) throws
        -> DemoStoreGenerator.Summary
    {
        let n = generator.events
        var lastReport = Date()
        while !done {
            try queue.inTransaction { db in
                var insert = try DemoEventInsert(db)
                try generate(upTo: index + 50_000, into: &insert)
                return .commit
            }
            if let progress, Date().timeIntervalSince(lastReport) > 0.5 || done {
                progress(index, n, Date().timeIntervalSince(started))
                lastReport = Date()
            }
        }
        let (summary, tables) = finish()
        try queue.inTransaction { db in
            var cursor = DemoStreams.Cursor()
            let streams = DemoRows(table: WakuSchema.streams, columns: DemoStreams.columns, rows: [])
            let insertStream = try db.makeStatement(sql: streams.insertSQL)
            while true {
                let rows = streamRows(from: &cursor, limit: 10_000)
                if rows.isEmpty { break }
                for row in rows { try insertStream.execute(arguments: StatementArguments(row)) }
            }
            for table in tables {
                let insert = try db.makeStatement(sql: table.insertSQL)
                for row in table.rows { try insert.execute(arguments: StatementArguments(row)) }
            }
            return .commit
        }
        return summary
    }
}

extension DemoRows {
    var insertSQL: String {
        "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
    }
}
