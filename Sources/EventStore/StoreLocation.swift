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

    public static func redacted(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@"),
              let colon = rest[..<at].firstIndex(of: ":") else { return url }
        return String(url[..<rest.startIndex]) + rest[..<colon] + ":***" + rest[at...]
    }
}
