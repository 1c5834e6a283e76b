import EventStore

/// Distinct values of an indexed column in order, one index seek each (a loose index scan, as
/// `KeyWalk` on SQLite): how layouts without a table of streams list their streams, keyset-paged,
/// from the events' own `(stream, version)` index: each step is the first row in index order past
/// the last value, one descent of an index that leads with the column.
struct PostgresKeyWalk: Sendable {
    let table: String
    let key: PostgresKeyColumn
    /// A condition every step keeps (`aggregate_type = <value>`).
    var scope: (column: PostgresKeyColumn, value: String)?

    init(table: String, column: String, catalog: PostgresCatalog, scope: (column: String, value: String)? = nil) {
        self.table = table
        key = PostgresKeyColumn(table: table, name: column, catalog: catalog)
        self.scope = scope.map { (PostgresKeyColumn(table: table, name: $0.column, catalog: catalog), $0.value) }
    }

    /// One step: the next value after `after` within the prefix; nil when no value can be in it.
    func step(prefix: String, after: String?, direction: Direction) -> Statement? {
        var s = Statement()
        var conditions: [String] = []
        if let scope {
            guard let value = scope.column.bind(scope.value, &s) else { return nil }
            conditions.append("\(scope.column.expression("k")) = \(value)")
        }
        guard let range = key.prefix(prefix, &s, alias: "k") else { return nil }
        conditions += range
        if let after { conditions.append(key.compare(direction == .forwards ? ">" : "<", after, &s, alias: "k")) }
        // Not `min`/`max`: PostgreSQL has none for `uuid`. The first row in index order is the same
        // seek; ordered by the table's column (`k.`), not the selected text of the same name.
        conditions.append("\(key.expression("k")) IS NOT NULL")
        s.sql = """
            SELECT \(key.expression("k"))::text AS value FROM \(table) k WHERE \(conditions.joined(separator: " AND ")) \
            ORDER BY \(key.expression("k"))\(direction == .forwards ? "" : " DESC") LIMIT 1
            """
        return s
    }

    /// Up to `limit` values after `after` (exclusive), within `prefix`, in `direction`'s order.
    func values(_ s: Session, after: String?, prefix: String, direction: Direction, limit: Int) async throws -> [String] {
        var found: [String] = []
        var last = after
        while found.count < limit, let statement = step(prefix: prefix, after: last, direction: direction),
              case .text(let bytes)? = try await s.one(statement)?[0] {
            let value = String(decoding: bytes, as: UTF8.self)
            if value.hasPrefix(prefix) { found.append(value) }
            last = value
        }
        return found
    }
}
