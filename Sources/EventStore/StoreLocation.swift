/// Where a store lives: `sqlite:///abs/path.db`, a plain path, or `postgres://user[:pass]@host[:port]/db`.
public enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    public init(_ text: String) throws(StoreError) {
        if text.isEmpty { throw .badArgument("no store given: pass a SQLite path or a postgres:// URL") }
        if text.hasPrefix("sqlite://") {
            let path = String(text.dropFirst("sqlite://".count))
            guard path.hasPrefix("/") else {
                throw .unsupportedLocation(text, reason: "a sqlite URL takes an absolute path: sqlite:///abs/path.db")
            }
            self = .sqlite(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else if let scheme = text.range(of: "://") {
            throw .unsupportedLocation(text, reason: "unknown scheme \(text[..<scheme.lowerBound].debugDescription): use a path, sqlite:///abs/path or postgres://")
        } else {
            self = .sqlite(path: text)
        }
    }

    /// The location as shown to people: a password in a URL is replaced by `***`.
    public var description: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let url): return Self.redacted(url)
        }
    }

    /// Conservative on purpose: everything between the user name's `:` and the last `@` goes (a
    /// password may hold `/` or `?`), and so does any `password=` query parameter.
    public static func redacted(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        var result = url
        let rest = url[schemeEnd.upperBound...]
        if let at = rest.lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") {
            result = String(url[..<colon]) + ":***" + url[at...]
        }
        var out = ""
        var remaining = Substring(result)
        while let match = remaining.range(of: "password=", options: .caseInsensitive) {
            out += remaining[..<match.upperBound] + "***"
            remaining = remaining[match.upperBound...]
            remaining = remaining[(remaining.firstIndex(of: "&") ?? remaining.endIndex)...]
        }
        return out + remaining
    }
}
