/// A JSON document as the store holds it: object members keep their order and numbers keep
/// their text, so showing an event never reorders keys or rounds `12.50` to `12.5`.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// The number's literal text, validated by the parser.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([Member])

    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue
        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    public static func int<I: BinaryInteger>(_ value: I) -> JSONValue { .number(String(value)) }

    /// Builds an object from key/value pairs, in order; `nil` values become JSON `null`.
    public static func object(_ pairs: KeyValuePairs<String, JSONValue?>) -> JSONValue {
        .object(pairs.map { Member($0.key, $0.value ?? .null) })
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members.first(where: { $0.key == key })?.value }
        return nil
    }
}

extension JSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension Optional where Wrapped == String {
    /// A string or JSON `null`.
    public var json: JSONValue { map(JSONValue.string) ?? .null }
}
