import Foundation
import GRDB
import GRDBSQLite

/// One column's value as SQLite stores it. Text is kept as its bytes: GRDB's `String` conversion
/// goes through a C string, which stops at the first NUL and silently repairs invalid UTF-8.
enum StoredValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text([UInt8])
    case blob([UInt8])
}

/// A result row read straight from the statement, by storage class and byte length.
struct StoredRow: Sendable {
    let values: [StoredValue]

    subscript(index: Int) -> StoredValue { values.indices.contains(index) ? values[index] : .null }

    init(_ statement: SQLiteStatement) {
        values = (0..<sqlite3_column_count(statement)).map { i in
            switch sqlite3_column_type(statement, i) {
            case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, i))
            case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, i))
            case SQLITE_TEXT:
                // sqlite3_column_text before sqlite3_column_bytes, as SQLite documents.
                guard let text = sqlite3_column_text(statement, i) else { return .text([]) }
                return .text(Array(UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, i)))))
            case SQLITE_BLOB:
                guard let blob = sqlite3_column_blob(statement, i) else { return .blob([]) }
                return .blob(Array(UnsafeRawBufferPointer(start: blob, count: Int(sqlite3_column_bytes(statement, i)))))
            default: return .null
            }
        }
    }

    static func fetchAll(_ db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> [StoredRow] {
        let statement = try db.makeStatement(sql: sql)
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        var rows: [StoredRow] = []
        // Each step leaves the current row on the statement; read it from there.
        while try cursor.next() != nil { rows.append(StoredRow(statement.sqliteStatement)) }
        return rows
    }

    static func fetchOne(_ db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> StoredRow? {
        let statement = try db.makeStatement(sql: sql)
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        return try cursor.next() == nil ? nil : StoredRow(statement.sqliteStatement)
    }

    /// The first column of the first row as an integer; nil for no row, NULL or a non-integer
    /// (GRDB's `Int64.fetchOne` would trap or throw on text).
    static func fetchInteger(_ db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> Int64? {
        guard case .integer(let i)? = try fetchOne(db, sql: sql, arguments: arguments)?[0] else { return nil }
        return i
    }
}
