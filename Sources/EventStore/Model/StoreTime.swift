/// A time read from a store: an instant, or the stored value as text when it is not one.
///
/// Stores are written by other programs: a column meant for a time may hold anything. Parsing
/// happens once, when the row is read; views show `.unreadable` values as they are, marked broken.
public enum StoreTime: Sendable, Hashable {
    case at(Timestamp)
    /// The stored value, as text, that is not a time (an impossible date, a word, a blob).
    case unreadable(String)

    /// Reads the text forms stores write (ISO-8601, SQLite's `CURRENT_TIMESTAMP`, PostgreSQL's
    /// `+00` offsets) and epoch seconds written as a number.
    public init(text: String) {
        if let t = Timestamp(parsing: text) {
            self = .at(t)
        } else if let seconds = Double(text), let t = Timestamp(epochSeconds: seconds) {
            self = .at(t)
        } else {
            self = .unreadable(text)
        }
    }

    public var timestamp: Timestamp? {
        if case .at(let t) = self { return t }
        return nil
    }

    /// ISO-8601 UTC for an instant, the stored text otherwise.
    public var text: String {
        switch self {
        case .at(let t): t.iso8601
        case .unreadable(let raw): raw
        }
    }
}

/// A stored value that could not be read as its column's type: which column, what it held, why.
/// Records carry their problems instead of trapping or dropping the row.
public struct ValueProblem: Sendable, Hashable, CustomStringConvertible {
    /// The model's field name as the `--json` forms spell it (`position`, `updated_at`).
    public var field: String
    /// The stored value as text (a blob as `x'…'`).
    public var stored: String
    public var reason: String

    public init(field: String, stored: String, reason: String) {
        self.field = field
        self.stored = stored
        self.reason = reason
    }

    public var description: String { "\(field): \(reason) (stored \(stored))" }
}

extension Array where Element == ValueProblem {
    public func problem(_ field: String) -> ValueProblem? { first { $0.field == field } }
}

extension ValueProblem {
    /// What marks a broken value wherever it is shown as text (tables, panes).
    public static let marker = "⚠"

    /// The stored text, marked broken.
    public var shown: String { Self.marker + stored }
}

extension Array where Element == ValueProblem {
    /// The field's value as text, or its stored text marked broken when it has a problem.
    public func shown(_ field: String, _ value: @autoclosure () -> String) -> String { problem(field)?.shown ?? value() }
}

extension StoreTime {
    /// ISO-8601 UTC for an instant, the stored text marked broken otherwise.
    public var shown: String {
        switch self {
        case .at(let t): t.iso8601
        case .unreadable(let raw): ValueProblem.marker + raw
        }
    }

    public var isUnreadable: Bool { timestamp == nil }
}
