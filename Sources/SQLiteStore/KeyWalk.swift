import EventStore
import Foundation
import GRDB

/// Distinct values of an indexed text column in order, one index seek each (a loose index scan):
/// how layouts without a table of streams list their streams, keyset-paged, from the events' own
/// `(stream, version)` index. Values are bound as the bytes their shown form names (`EscapedBytes`),
/// so an id that is not UTF-8 is found too.
struct KeyWalk: Sendable {
    let table: String
    let column: String
    /// Extra conditions every step keeps (`+aggregate_type = ?`), with their arguments.
    var scope: String = ""
    var scopeArguments: [Data] = []

    /// One step: the next value after `?` (when `after`), within `[?, ?)` (when `prefixed`), as
    /// MIN or MAX of the index: a single seek. Arguments: the scope's, the prefix's bounds, the cursor.
    func step(prefixed: Bool, after: Bool, direction: Direction) -> String {
        var conditions = scope.isEmpty ? [] : [scope]
        if prefixed { conditions += ["\(column) >= CAST(? AS TEXT)", "\(column) < CAST(? AS TEXT)"] }
        if after {
            conditions.append("\(column) \(direction == .forwards ? ">" : "<") CAST(? AS TEXT)")
        } else if direction == .forwards, !prefixed {
            conditions.append("\(column) >= ''")
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return "SELECT \(direction == .forwards ? "MIN" : "MAX")(\(column)) FROM \(table)\(filter)"
    }

    /// Up to `limit` values after `after` (exclusive), within `prefix`, in `direction`'s order.
    func values(_ db: Database, after: [UInt8]?, prefix: [UInt8], direction: Direction, limit: Int) throws -> [[UInt8]] {
        var found: [[UInt8]] = []
        var last = after
        let end = prefix + [0xF4, 0x8F, 0xBF, 0xBF]
        while found.count < limit {
            var arguments: [any DatabaseValueConvertible] = scopeArguments
            if !prefix.isEmpty { arguments += [Data(prefix), Data(end)] }
            if let last { arguments.append(Data(last)) }
            let sql = step(prefixed: !prefix.isEmpty, after: last != nil, direction: direction)
            guard let row = try StoredRow.fetchOne(db, sql: sql, arguments: StatementArguments(arguments)) else { break }
            let bytes: [UInt8]
            switch row[0] {
            case .text(let b), .blob(let b): bytes = b
            case .null: return found
            case .integer(let i): bytes = Array(String(i).utf8)
            case .real(let d): bytes = Array(String(d).utf8)
            }
            if bytes.starts(with: prefix) { found.append(bytes) }
            // A value stored as a number or a blob sorts outside all text: stop rather than loop on it.
            guard case .text = row[0] else { break }
            last = bytes
        }
        return found
    }
}
