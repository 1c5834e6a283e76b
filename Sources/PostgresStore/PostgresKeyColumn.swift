import EventStore
import Foundation

/// A column that names something (`stream_id`, `aggregate_id`, `event_id`), compared the way its
/// type allows an index to serve: text as text (a prefix is a range where it sorts by bytes), a
/// `uuid` as a uuid (whose order is its lowercase text's, so a prefix of that text is a range
/// too), an integer as one, anything else through its text form (correct, unindexed). Values are
/// the text forms the reader shows; one that cannot be of the column's type matches nothing.
struct PostgresKeyColumn: Sendable {
    enum Kind: Sendable { case text, uuid, integer, other }

    let name: String
    let kind: Kind
    let byteOrdered: Bool

    init(table: String, name: String, catalog: PostgresCatalog) {
        self.name = name
        let type = catalog.type(table, name)
        kind = switch type {
        case "uuid": .uuid
        case "bigint", "integer", "smallint": .integer
        case _ where catalog.isText(table, name): .text
        default: .other
        }
        byteOrdered = catalog.sortsByBytes(table, name)
    }

    /// The column as selected, ordered and compared.
    func expression(_ alias: String? = nil) -> String {
        let column = (alias.map { $0 + "." } ?? "") + name
        return kind == .other ? column + "::text" : column
    }

    /// A value bound to compare with the column; nil when it cannot be of its type.
    func bind(_ value: String, _ s: inout Statement) -> String? {
        switch kind {
        case .uuid:
            guard let uuid = UUID(uuidString: value.trimmingCharacters(in: .whitespaces)) else { return nil }
            return s.bind(uuid.uuidString.lowercased()) + "::uuid"
        case .integer:
            guard let n = Int64(value) else { return nil }
            return s.bind(n)
        case .text, .other:
            return s.bind(value)
        }
    }

    /// `column = value`; nil when no row can hold the value.
    func equals(_ value: String, _ s: inout Statement, alias: String? = nil) -> String? {
        bind(value, &s).map { "\(expression(alias)) = \($0)" }
    }

    /// `column <op> value`; for a value that cannot be of the column's type, through the text form
    /// (which orders as a uuid does).
    func compare(_ op: String, _ value: String, _ s: inout Statement, alias: String? = nil) -> String {
        if let bound = bind(value, &s) { return "\(expression(alias)) \(op) \(bound)" }
        return "\(expression(alias))::text \(op) \(s.bind(value))"
    }

    /// Conditions holding the values that start with `prefix`: a range of the index where the
    /// column allows one, else a filter. nil when no value of the column can start with it.
    func prefix(_ prefix: String, _ s: inout Statement, alias: String? = nil) -> [String]? {
        guard !prefix.isEmpty else { return [] }
        let column = expression(alias)
        switch kind {
        case .uuid:
            guard let (low, high) = Self.uuidRange(prefix) else { return nil }
            return ["\(column) BETWEEN \(s.bind(low))::uuid AND \(s.bind(high))::uuid"]
        case .text where byteOrdered:
            let p = s.bind(prefix)
            return ["\(column) >= \(p)", "\(column) < \(s.bind(prefix + "\u{10FFFF}"))", "starts_with(\(column), \(p))"]
        case .text:
            return ["starts_with(\(column), \(s.bind(prefix)))"]
        case .integer, .other:
            return ["starts_with(\(column)::text, \(s.bind(prefix)))"]
        }
    }

    /// The lowest and highest uuids whose text starts with `prefix`; nil when none can.
    static func uuidRange(_ prefix: String) -> (String, String)? {
        let template = Array("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")
        let typed = Array(prefix.lowercased())
        guard typed.count <= template.count else { return nil }
        for (c, t) in zip(typed, template) where t == "-" ? c != "-" : !c.isHexDigit { return nil }
        func filled(_ digit: Character) -> String { String(typed + template.dropFirst(typed.count).map { $0 == "-" ? "-" : digit }) }
        return (filled("0"), filled("f"))
    }
}
