import EventStore
@testable import PostgresStore
import Testing

/// How a URL, the environment and the password file become a connection target: libpq's rules,
/// tested on the pure resolver (the environment and the file's contents and mode are values).
@Suite struct TargetResolutionTests {
    func resolve(_ url: String, _ env: [String: String] = [:], user: String = "osuser",
                 passFile: PostgresTarget.PassFile? = nil) throws -> PostgresTarget {
        try PostgresTarget.resolve(url: url, environment: env, osUser: user, passFile: passFile)
    }

    func reason(_ url: String, _ env: [String: String] = [:]) -> String? {
        do {
            _ = try resolve(url, env)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func aFullURLNamesEveryPart() throws {
        let t = try resolve("postgresql://alice:s3cr%40t@db.example.com:6543/shop?sslmode=verify-full&connect_timeout=3")
        #expect(t.endpoint == .tcp(host: "db.example.com", port: 6543))
        #expect(t.user == "alice")
        #expect(t.password == "s3cr@t")
        #expect(t.passwordSource == .url)
        #expect(t.database == "shop")
        #expect(t.sslMode == .verifyFull)
        #expect(t.connectTimeoutSeconds == 3)
        #expect(t.location == "postgres://alice@db.example.com:6543/shop")
    }

    @Test func theEnvironmentFillsWhatTheURLLeavesOut() throws {
        let env = ["PGHOST": "10.0.0.5", "PGPORT": "5433", "PGUSER": "bob", "PGPASSWORD": "envpw", "PGDATABASE": "events",
                   "PGSSLMODE": "require"]
        let t = try resolve("postgres://", env)
        #expect(t.endpoint == .tcp(host: "10.0.0.5", port: 5433))
        #expect((t.user, t.password, t.database) == ("bob", "envpw", "events"))
        #expect(t.passwordSource == .environment)
        #expect(t.sslMode == .require)
        // The URL's parts win over the environment's.
        let u = try resolve("postgres://carol@other/db2?sslmode=disable", env)
        #expect(u.endpoint == .tcp(host: "other", port: 5433))
        #expect((u.user, u.database, u.sslMode) == ("carol", "db2", .disable))
    }

    @Test func libpqsDefaultsAreTheSocketTheOSUserAndTheirDatabase() throws {
        let t = try resolve("postgres://", user: "dave")
        #expect(t.endpoint == .socket(directory: "/var/run/postgresql", port: 5432))
        #expect((t.user, t.database, t.password) == ("dave", "dave", nil))
        #expect(t.sslMode == .prefer)
        #expect(t.connectTimeoutSeconds == PostgresTarget.defaultConnectTimeout)
    }

    @Test func aSocketDirectoryIsAHost() throws {
        #expect(try resolve("postgres:///db?host=/tmp").endpoint == .socket(directory: "/tmp", port: 5432))
        #expect(try resolve("postgres://%2Fvar%2Frun%2Fpostgresql:5440/db").endpoint == .socket(directory: "/var/run/postgresql", port: 5440))
        #expect(try resolve("postgres:///db", ["PGHOST": "/run/pg"]).endpoint == .socket(directory: "/run/pg", port: 5432))
        #expect(try resolve("postgres:///db?host=/tmp&port=6000").location == "postgres://osuser@/db?host=/tmp&port=6000")
    }

    @Test func ipv6HostsAreBracketed() throws {
        let t = try resolve("postgres://u@[::1]:5433/db")
        #expect(t.endpoint == .tcp(host: "::1", port: 5433))
        #expect(t.location == "postgres://u@[::1]:5433/db")
    }

    @Test func badPartsAreNamed() {
        #expect(reason("postgres://h:notaport/db")?.contains("invalid port") == true)
        #expect(reason("postgres://h/db?sslmode=sometimes")?.contains("invalid sslmode \"sometimes\"") == true)
        #expect(reason("postgres://h/db?sslmode=allow")?.contains("use prefer") == true)
        #expect(reason("postgres://h/db?frobnicate=1")?.contains("unknown query parameter \"frobnicate\"") == true)
        #expect(reason("postgres://a,b/db")?.contains("several hosts") == true)
        #expect(reason("postgres://h/db", ["PGSSLMODE": "bogus"])?.contains("invalid sslmode") == true)
    }

    @Test func aPasswordNeverShowsInTheLocationOrAnError() throws {
        let t = try resolve("postgres://alice:hunter2@h/db?password=hunter3")
        #expect(!t.location.contains("hunter"))
        let failure = reason("postgres://alice:hunter2@h:99999/db")
        #expect(failure?.contains("invalid port") == true)
        #expect(failure?.contains("hunter2") == false)
        let query = reason("postgres://h:x/db?password=hunter3")
        #expect(query?.contains("hunter3") == false)
    }

    // MARK: The password file

    func passFile(_ contents: String, permissions: UInt16 = 0o600) -> PostgresTarget.PassFile {
        PostgresTarget.PassFile(path: "/home/u/.pgpass", contents: contents, permissions: permissions)
    }

    @Test func thePasswordFileIsReadWhenNoOtherPasswordIsGiven() throws {
        let file = passFile("""
            # comment line
            other:5432:*:alice:wrong-host
            db.example.com:5432:shop:alice:right
            *:*:*:*:fallback
            """)
        let t = try resolve("postgres://alice@db.example.com/shop", passFile: file)
        #expect(t.password == "right")
        #expect(t.passwordSource == .passfile)
        // The first matching line wins; wildcards match anything.
        #expect(try resolve("postgres://zed@anywhere:7000/x", passFile: file).password == "fallback")
        // PGPASSWORD and the URL come before the file.
        #expect(try resolve("postgres://alice@db.example.com/shop", ["PGPASSWORD": "env"], passFile: file).password == "env")
        #expect(try resolve("postgres://alice:url@db.example.com/shop", passFile: file).password == "url")
    }

    @Test func escapesInThePasswordFile() throws {
        let file = passFile(#"h\:1:5432:d:u:pa\:ss\\word:with:colons"#)
        #expect(try resolve("postgres://u@[h:1]/d", passFile: file).password == #"pa:ss\word:with:colons"#)
        // An escaped star is a literal star, not a wildcard.
        let literal = passFile(#"\*:5432:d:u:star"#)
        #expect(try resolve("postgres://u@h/d", passFile: literal).password == nil)
    }

    @Test func aPasswordFileOthersMayReadIsIgnoredWithAWarning() throws {
        let t = try resolve("postgres://u@h/d", passFile: passFile("*:*:*:*:pw", permissions: 0o644))
        #expect(t.password == nil)
        #expect(t.warnings == ["password file \"/home/u/.pgpass\" has group or world access; permissions should be u=rw (0600) or less"])
        #expect(try resolve("postgres://u@h/d", passFile: passFile("*:*:*:*:pw", permissions: 0o400)).password == "pw")
    }

    @Test func theDefaultSocketMatchesLocalhostInThePasswordFile() throws {
        let file = passFile("localhost:5432:d:u:local\n/tmp:5432:d:u:tmp")
        #expect(try resolve("postgres://u@/d").endpoint == .socket(directory: "/var/run/postgresql", port: 5432))
        #expect(try resolve("postgres://u@/d", passFile: file).password == "local")
        #expect(try resolve("postgres://u@/d?host=/tmp", passFile: file).password == "tmp")
    }

    @Test func thePasswordFilesPathIsPGPASSFILEElseHome() {
        #expect(PostgresTarget.passFilePath(environment: ["PGPASSFILE": "/etc/pg/pass"], home: "/home/u") == "/etc/pg/pass")
        #expect(PostgresTarget.passFilePath(environment: [:], home: "/home/u") == "/home/u/.pgpass")
        #expect(PostgresTarget.passFilePath(environment: [:], home: nil) == nil)
    }

    @Test func storeLocationRecognisesBothSchemes() throws {
        #expect(try StoreLocation("postgresql://u@h/d") == .postgres(url: "postgresql://u@h/d"))
        #expect(try StoreLocation("postgres://u:pw@h/d").description == "postgres://u:***@h/d")
    }
}
