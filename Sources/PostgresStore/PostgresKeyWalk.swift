import EventStore

/// Distinct values of an indexed column in order, one index seek each (a loose index scan, as
/// `KeyWalk` on SQLite): how layouts without a table of streams list their streams, keyset-paged,
/// from the events' own `(stream, version)` index. PostgreSQL turns each `min`/`max` with its
/// conditions into one descent of an index that leads with the column.
struct PostgresKeyWalk: Sendable {
    let table: String
    /// The column as compared: itself when it holds text, else its text form (correct, unindexed).
    let column: String
    /// Whether the column sorts by bytes: a prefix is then a range of the index.
    let byteOrdered: Bool
    /// A condition every step keeps (`aggregate_type = <value>`), on a column holding text.
    var scope: (column: String, value: String)?

    init(table: String, column: String, catalog: PostgresCatalog, scope: (column: String, value: String)? = nil) {
        self.table = table
        self.column = catalog.isText(table, column) ? column : column + "::text"
        byteOrdered = catalog.sortsByBytes(table, column)
        self.scope = scope
    }

    /// One step: the next value after `after`, within the prefix's range where the column sorts by bytes.
    func step(prefix: String, after: String?, direction: Direction) -> Statement {
        var s = Statement()
        var conditions: [String] = []
        if let scope { conditions.append("\(scope.column) = \(s.bind(scope.value))") }
        if !prefix.isEmpty, byteOrdered {
            conditions += ["\(column) >= \(s.bind(prefix))", "\(column) < \(s.bind(prefix + "\u{10FFFF}"))"]
        }
        if let after { conditions.append("\(column) \(direction == .forwards ? ">" : "<") \(s.bind(after))") }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        s.sql = "SELECT \(direction == .forwards ? "min" : "max")(\(column))::text FROM \(table)\(filter)"
        return s
    }

    /// Up to `limit` values after `after` (exclusive), within `prefix`, in `direction`'s order.
    /// Where the column does not sort by bytes a prefix is no range: at most 10,000 seeks are
    /// spent looking for values that start with it.
    func values(_ s: Session, after: String?, prefix: String, direction: Direction, limit: Int) async throws -> [String] {
        var found: [String] = []
        var last = after
        var seeks = byteOrdered || prefix.isEmpty ? Int.max : 10_000
        while found.count < limit, seeks > 0 {
            seeks -= 1
            guard case .text(let bytes)? = try await s.one(step(prefix: prefix, after: last, direction: direction))?[0] else { break }
            let value = String(decoding: bytes, as: UTF8.self)
            if value.hasPrefix(prefix) { found.append(value) }
            last = value
        }
        return found
    }
}
