import EventStore

/// Event types with a prefix through an index on the type column: a loose scan, one seek per type.
struct PostgresTypeWalk: Sendable {
    let table: String
    var column = "event_type"
    /// Whether `event_type` sorts by bytes: a prefix is then a range of the index.
    let byteOrdered: Bool

    func types(_ s: Session, prefix: String, limit: Int) async throws -> [String] {
        var types: [String] = []
        var last = ""
        // Where types do not sort by bytes a prefix is no range: walk every type (one seek each), at most this many.
        var seeks = byteOrdered ? Int.max : 10_000
        while types.count < limit || !byteOrdered, seeks > 0 {
            seeks -= 1
            let statement = PostgresSQL.nextEventType(in: table, column: column, after: last, from: byteOrdered ? prefix : "",
                                                      upper: byteOrdered ? prefix + "\u{10FFFF}" : nil)
            guard case .text(let bytes)? = try await s.one(statement)?[0],
                  let next = String(validating: bytes, as: UTF8.self) else { break }
            if next.hasPrefix(prefix) { types.append(next) }
            last = next
        }
        return Array(types.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.prefix(limit))
    }
}
