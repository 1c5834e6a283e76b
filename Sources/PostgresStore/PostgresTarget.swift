import EventStore

/// Where and how to connect, resolved the way libpq resolves it: the URL's parts first, then
/// `PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`, `PGSSLMODE`, `PGCONNECT_TIMEOUT`,
/// then the password file (`PGPASSFILE`, else `~/.pgpass`), then libpq's defaults.
///
/// Pure: the environment and the password file come in as values (`resolve`); only
/// `PostgresTarget.fromSystem` reads them. The password is never part of any text this type makes.
public struct PostgresTarget: Sendable, Hashable {
    public enum Endpoint: Sendable, Hashable {
        case tcp(host: String, port: Int)
        /// A Unix-domain socket directory; the socket is `directory/.s.PGSQL.port`, as libpq names it.
        case socket(directory: String, port: Int)

        public var port: Int {
            switch self {
            case .tcp(_, let port), .socket(_, let port): port
            }
        }
    }

    /// libpq's `sslmode`s this adapter supports.
    public enum SSLMode: String, Sendable, Hashable, CaseIterable {
        /// Plain text only.
        case disable
        /// TLS when the server offers it (no certificate check, as libpq), plain text otherwise.
        case prefer
        /// TLS or fail; the certificate is not checked (as libpq without a root certificate).
        case require
        /// TLS with a certificate signed by a trusted root; the host name is not checked.
        case verifyCA = "verify-ca"
        /// TLS with a trusted certificate for this host name.
        case verifyFull = "verify-full"
    }

    /// Where the password came from: an operator debugging "password authentication failed" needs to know.
    public enum PasswordSource: String, Sendable, Hashable {
        case url, environment = "PGPASSWORD", passfile = "password file", none
    }

    public var endpoint: Endpoint
    public var user: String
    public var password: String?
    public var passwordSource: PasswordSource
    public var database: String
    public var sslMode: SSLMode
    /// `sslrootcert` / `PGSSLROOTCERT`: the CA file for verify-ca and verify-full (else the system's roots).
    public var sslRootCert: String?
    public var connectTimeoutSeconds: Int
    /// Things an operator should know but that do not stop the connection (a password file ignored).
    public var warnings: [String]

    /// libpq's default socket directory on Debian and its derivatives.
    public static let defaultSocketDirectory = "/var/run/postgresql"
    public static let defaultPort = 5432
    /// libpq waits for ever by default; an explorer must say "unreachable" in seconds.
    public static let defaultConnectTimeout = 5

    /// The location as shown everywhere (status line, errors, `info.location`): never a password.
    public var location: String {
        let db = Self.percentEncoded(database)
        let user = Self.percentEncoded(self.user)
        switch endpoint {
        case .tcp(let host, let port):
            let shownHost = host.contains(":") ? "[\(host)]" : host
            return "postgres://\(user)@\(shownHost):\(port)/\(db)"
        case .socket(let directory, let port):
            return "postgres://\(user)@/\(db)?host=\(directory)" + (port == Self.defaultPort ? "" : "&port=\(port)")
        }
    }

    /// What the password file holds, as read at the edge: its path, text, and permission bits.
    public struct PassFile: Sendable, Hashable {
        public var path: String
        public var contents: String
        /// The file's mode (`st_mode & 0o7777`); libpq ignores a file that group or others may read.
        public var permissions: UInt16
        public var isRegularFile: Bool

        public init(path: String, contents: String, permissions: UInt16, isRegularFile: Bool = true) {
            self.path = path
            self.contents = contents
            self.permissions = permissions
            self.isRegularFile = isRegularFile
        }
    }

    /// The password file's path: `PGPASSFILE`, else `~/.pgpass`; nil without either.
    public static func passFilePath(environment: [String: String], home: String?) -> String? {
        if let explicit = environment["PGPASSFILE"], !explicit.isEmpty { return explicit }
        guard let home, !home.isEmpty else { return nil }
        return home + "/.pgpass"
    }

    /// Resolves a `postgres://` or `postgresql://` URL. `osUser` is libpq's last resort for the user
    /// (and, through it, the database). Throws `.unsupportedLocation` naming what is wrong.
    public static func resolve(url: String, environment: [String: String], osUser: String,
                               passFile: PassFile?) throws(StoreError) -> PostgresTarget {
        let parts = try URLParts(url)
        func env(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        func fail(_ reason: String) -> StoreError { .unsupportedLocation(StoreLocation.redacted(url), reason: reason) }

        let hostText = parts.host ?? parts.query["host"] ?? env("PGHOST")
        let portText = parts.port ?? parts.query["port"] ?? env("PGPORT")
        let port: Int
        if let portText {
            guard let p = Int(portText), (1...65_535).contains(p) else { throw fail("invalid port \(portText.debugDescription)") }
            port = p
        } else {
            port = defaultPort
        }
        let endpoint: Endpoint
        switch hostText {
        case nil: endpoint = .socket(directory: defaultSocketDirectory, port: port)
        case let host? where host.contains(","):
            throw fail("several hosts (\(host)) are not supported: name one")
        case let host? where host.hasPrefix("/"): endpoint = .socket(directory: host, port: port)
        case let host?: endpoint = .tcp(host: host, port: port)
        }
        let user = parts.user ?? parts.query["user"] ?? env("PGUSER") ?? osUser
        let database = parts.database ?? parts.query["dbname"] ?? env("PGDATABASE") ?? user

        let modeText = parts.query["sslmode"] ?? env("PGSSLMODE") ?? SSLMode.prefer.rawValue
        guard let sslMode = SSLMode(rawValue: modeText) else {
            let hint = modeText == "allow" ? " (allow is not supported: use prefer)" : ""
            throw fail("invalid sslmode \(modeText.debugDescription)\(hint); use " + SSLMode.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let timeoutText = parts.query["connect_timeout"] ?? env("PGCONNECT_TIMEOUT")
        var timeout = defaultConnectTimeout
        if let timeoutText {
            guard let t = Int(timeoutText), t >= 0 else { throw fail("invalid connect_timeout \(timeoutText.debugDescription)") }
            // libpq: 0 (or nothing) is "wait for ever", and anything below 2 s is raised to 2.
            timeout = t == 0 ? defaultConnectTimeout : max(2, t)
        }

        var warnings: [String] = []
        var password: String?
        var source = PasswordSource.none
        // An empty password counts as none, as in libpq: the password file is still consulted.
        if let p = parts.password ?? parts.query["password"], !p.isEmpty {
            (password, source) = (p, .url)
        } else if let p = env("PGPASSWORD") {
            (password, source) = (p, .environment)
        } else if let file = passFile {
            if !file.isRegularFile {
                warnings.append("password file \"\(file.path)\" is not a plain file")
            } else if file.permissions & 0o077 != 0 {
                // libpq's rule and wording: a file others may read is ignored, with a warning.
                warnings.append("password file \"\(file.path)\" has group or world access; permissions should be u=rw (0600) or less")
            } else {
                let host: String = switch endpoint {
                case .tcp(let host, _): host
                case .socket(let directory, _): directory == defaultSocketDirectory ? "localhost" : directory
                }
                if let p = PassFileEntry.lookup(in: file.contents, host: host, port: String(port), database: database, user: user) {
                    (password, source) = (p, .passfile)
                }
            }
        }
        return PostgresTarget(endpoint: endpoint, user: user, password: password, passwordSource: source, database: database,
                              sslMode: sslMode, sslRootCert: parts.query["sslrootcert"] ?? env("PGSSLROOTCERT"),
                              connectTimeoutSeconds: timeout, warnings: warnings)
    }

    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80, c.isLetter || c.isNumber || "-._~".contains(c) { out.append(c) } else {
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }
}

/// The parts of a libpq connection URI: `postgres[ql]://[user[:password]@][host][:port][/dbname][?param=value&...]`.
struct URLParts {
    var user: String?
    var password: String?
    var host: String?
    var port: String?
    var database: String?
    var query: [String: String] = [:]

    /// The query parameters libpq knows that this adapter honours; any other is an error, as in libpq.
    static let parameters: Set<String> = ["host", "port", "user", "password", "dbname", "sslmode", "sslrootcert",
                                          "connect_timeout", "application_name"]

    init(_ url: String) throws(StoreError) {
        func fail(_ reason: String) -> StoreError { .unsupportedLocation(StoreLocation.redacted(url), reason: reason) }
        guard let schemeEnd = url.range(of: "://"), ["postgres", "postgresql"].contains(url[..<schemeEnd.lowerBound]) else {
            throw fail("not a postgres:// or postgresql:// URL")
        }
        var rest = Substring(url[schemeEnd.upperBound...])
        var queryText: Substring?
        if let q = rest.firstIndex(of: "?") {
            queryText = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        var authority = rest
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            let db = rest[rest.index(after: slash)...]
            if !db.isEmpty { database = try Self.decode(db, url) }
        }
        // The last @ ends the user part: a password may hold an unencoded @.
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            authority = authority[authority.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                user = try Self.decode(userInfo[..<colon], url)
                password = try Self.decode(userInfo[userInfo.index(after: colon)...], url)
            } else {
                user = try Self.decode(userInfo, url)
            }
            if user == "" { user = nil }
        }
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw fail("an IPv6 address lacks its closing ]") }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { port = String(after.dropFirst()) } else if !after.isEmpty { throw fail("unexpected \(after) after the host") }
        } else if !authority.isEmpty {
            if let colon = authority.lastIndex(of: ":"), !authority.contains(",") {
                host = try Self.decode(authority[..<colon], url)
                port = String(authority[authority.index(after: colon)...])
            } else {
                host = try Self.decode(authority, url)
            }
        }
        if host == "" { host = nil }
        if port == "" { port = nil }
        for pair in (queryText ?? "").split(separator: "&") where !pair.isEmpty {
            guard let eq = pair.firstIndex(of: "=") else { throw fail("the query parameter \(pair) has no value") }
            let key = try Self.decode(pair[..<eq], url)
            guard Self.parameters.contains(key) else {
                throw fail("unknown query parameter \(key.debugDescription); known: " + Self.parameters.sorted().joined(separator: ", "))
            }
            query[key] = try Self.decode(pair[pair.index(after: eq)...], url)
        }
    }

    static func decode(_ text: Substring, _ url: String) throws(StoreError) -> String {
        var bytes: [UInt8] = []
        var i = text.utf8.startIndex
        let utf8 = text.utf8
        while i < utf8.endIndex {
            let b = utf8[i]
            if b == UInt8(ascii: "%") {
                let h1 = utf8.index(after: i)
                guard h1 < utf8.endIndex, utf8.index(after: h1) < utf8.endIndex,
                      let hi = hex(utf8[h1]), let lo = hex(utf8[utf8.index(after: h1)]) else {
                    throw .unsupportedLocation(StoreLocation.redacted(url), reason: "a bad percent-encoding in the URL")
                }
                bytes.append(hi << 4 | lo)
                i = utf8.index(h1, offsetBy: 2)
            } else {
                bytes.append(b)
                i = utf8.index(after: i)
            }
        }
        guard let s = String(validating: bytes, as: UTF8.self) else {
            throw .unsupportedLocation(StoreLocation.redacted(url), reason: "the URL decodes to bytes that are not UTF-8")
        }
        return s
    }

    static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// One line of a password file: `hostname:port:database:username:password`, `*` matching anything
/// in the first four fields, `\` escaping `:` and `\`, `#` starting a comment line (libpq's format).
enum PassFileEntry {
    /// The password of the first line that matches, as libpq picks it.
    static func lookup(in contents: String, host: String, port: String, database: String, user: String) -> String? {
        for line in contents.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let text = line.hasSuffix("\r") ? line.dropLast() : line
            if text.hasPrefix("#") || text.isEmpty { continue }
            let fields = split(text)
            guard fields.count >= 5 else { continue }
            let wanted = [host, port, database, user]
            guard zip(fields.prefix(4), wanted).allSatisfy({ field, value in field.wildcard || field.text == value }) else { continue }
            // The password is the rest of the line: a colon inside it need not be escaped.
            return fields.dropFirst(4).map(\.text).joined(separator: ":")
        }
        return nil
    }

    struct Field { var text: String; var wildcard: Bool }

    static func split(_ line: Substring) -> [Field] {
        var fields: [Field] = []
        var current = ""
        var escapedAny = false
        var escaping = false
        for c in line {
            if escaping { current.append(c); escaping = false; escapedAny = true; continue }
            if c == "\\" { escaping = true; continue }
            if c == ":" {
                fields.append(Field(text: current, wildcard: current == "*" && !escapedAny))
                current = ""
                escapedAny = false
                continue
            }
            current.append(c)
        }
        fields.append(Field(text: current, wildcard: current == "*" && !escapedAny))
        return fields
    }
}
