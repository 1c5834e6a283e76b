import EventStore
import Foundation

/// A column that names streams (`stream_id`, `aggregate_id`, `aggregate_type`), compared the way
/// its type allows an index to serve: text as text (a prefix is a range where it sorts by bytes),
/// a `uuid` as a uuid (whose order is its lowercase text's, so a prefix of that text is a range
/// too), anything else through its text form (correct, unindexed). Values are the text forms the
/// reader shows; one that cannot be of the column's type matches nothing.
struct PostgresKeyColumn: Sendable {
    enum Kind: Sendable { case text, uuid, other }

    let name: String
    let kind: Kind
    let byteOrdered: Bool

    init(table: String, name: String, catalog: PostgresCatalog) {
        self.name = name
        let type = catalog.type(table, name)
        kind = type == "uuid" ? .uuid : catalog.isText(table, name) ? .text : .other
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
            guard let uuid = UUID(uuidString: value) else { return nil }
            return s.bind(uuid.uuidString.lowercased()) + "::uuid"
        case .text, .other:
            return s.bind(value)
        }
    }

    /// `column <op> value`; for a uuid column and a value that is none, through the text form
    /// (which orders as the uuid does).
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
        case .text, .other:
            return ["starts_with(\(column), \(s.bind(prefix)))"]
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
