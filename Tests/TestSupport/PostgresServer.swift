import Foundation
import Logging
import PostgresNIO
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A throw-away PostgreSQL cluster for the tests of one process: made lazily by the first test that
/// asks (`PostgresServer.shared`), in a temporary directory, on a free loopback port and a private
/// socket directory; stopped when the process exits. Every test makes its own database in it
/// (`makeDatabase`), so tests never see each other's rows.
///
/// `initdb` refuses to run as root, so as root the cluster belongs to the `postgres` user and
/// every server command runs through `runuser -u postgres --`. A cluster whose test process died
/// without stopping it is stopped by the next process (see `Registry`), and `scripts/test` stops
/// any left at its end, also on failure.
///
/// Roles: `postgres` (superuser, trust), `eventscope_pw` (password `right-horse-battery`, checked
/// with scram-sha-256 over TCP: the wrong-password tests) and `eventscope_nobody` (trust, granted
/// nothing: the permission tests).
public final class PostgresServer: Sendable {
    public let binDirectory: String
    public let dataDirectory: String
    public let socketDirectory: String
    public let port: Int
    /// Whether server commands run as the `postgres` user (we are root).
    let asPostgres: Bool

    public static let passwordUser = "eventscope_pw"
    public static let password = "right-horse-battery"
    public static let unprivilegedUser = "eventscope_nobody"

    /// The process's cluster, started on first use (a few seconds), on a thread of its own.
    public static var shared: PostgresServer {
        get async throws { try await onDedicatedThread { try started.get() } }
    }

    private static let started: Result<PostgresServer, any Error> = Result { try PostgresServer.start() }

    /// A cluster of the caller's own, for a test that stops and restarts its server (the shared
    /// one serves tests running at the same time). Stopped at exit like the shared one.
    public static func makePrivate() async throws -> PostgresServer {
        try await onDedicatedThread { try PostgresServer.start() }
    }

    private init(binDirectory: String, dataDirectory: String, socketDirectory: String, port: Int, asPostgres: Bool) {
        self.binDirectory = binDirectory
        self.dataDirectory = dataDirectory
        self.socketDirectory = socketDirectory
        self.port = port
        self.asPostgres = asPostgres
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The newest PostgreSQL under /usr/lib/postgresql (Debian's layout), or `$PG_BIN`.
    static func findBinaries() throws -> String {
        if let explicit = ProcessInfo.processInfo.environment["PG_BIN"] { return explicit }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap(Int.init).sorted()
        for version in versions.reversed() where FileManager.default.isExecutableFile(atPath: "\(root)/\(version)/bin/initdb") {
            return "\(root)/\(version)/bin"
        }
        throw Failure(description: "no PostgreSQL server binaries under \(root) (install Debian's postgresql package; scripts/test does)")
    }

    static func start() throws -> PostgresServer {
        Registry.stopOrphans()
        let bin = try findBinaries()
        let asPostgres = geteuid() == 0
        let base = FileManager.default.temporaryDirectory.path + "/eventscope-pg-\(getpid())-\(UUID().uuidString.prefix(6))"
        let data = base + "/data", sockets = base + "/sock"
        for directory in [base, sockets] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        if asPostgres {
            guard let account = getpwnam("postgres") else { throw Failure(description: "running as root, but there is no postgres user to run the server as") }
            for directory in [base, sockets] { chown(directory, account.pointee.pw_uid, account.pointee.pw_gid) }
        }
        let port = try freePort()
        let server = PostgresServer(binDirectory: bin, dataDirectory: data, socketDirectory: sockets, port: port, asPostgres: asPostgres)
        Registry.record(base: base, server: server)
        try server.run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"])
        let hba = """
            local all all trust
            host all \(passwordUser) 127.0.0.1/32 scram-sha-256
            host all all 127.0.0.1/32 trust
            host all all ::1/128 trust

            """
        try server.asOwner { try hba.write(toFile: data + "/pg_hba.conf", atomically: false, encoding: .utf8) }
        try server.startServer()
        try server.psql(database: "postgres", """
            CREATE ROLE \(passwordUser) LOGIN PASSWORD '\(password)';
            CREATE ROLE \(unprivilegedUser) LOGIN;
            """)
        return server
    }

    /// Starts (or restarts) the server and waits until it accepts connections.
    public func startServer() throws {
        let options = [
            "-c listen_addresses=127.0.0.1", "-c port=\(port)", "-c unix_socket_directories=\(socketDirectory)",
            "-c max_connections=300", "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
            "-c shared_buffers=64MB",
        ].joined(separator: " ")
        try run("pg_ctl", ["-D", dataDirectory, "-l", dataDirectory + "/../server.log", "-o", options, "-w", "-t", "60", "start"])
    }

    /// Stops the server at once (connections are cut, as when a server crashes or is restarted).
    public func stopServer() throws {
        try run("pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "-t", "60", "stop"])
    }

    /// The cluster's URL for a database, as the superuser over TCP, without TLS.
    public func url(database: String, user: String = "postgres", password: String? = nil) -> String {
        let credentials = password.map { "\(user):\($0)" } ?? user
        return "postgres://\(credentials)@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// A new, empty database (from `template0`), for one test.
    public func makeDatabase(_ label: String = "t") async throws -> TestDatabase {
        let name = "\(label.lowercased().filter { $0.isLetter || $0.isNumber })_\(UUID().uuidString.prefix(8).lowercased())"
        try await onDedicatedThread { try self.psql(database: "postgres", "CREATE DATABASE \(name) TEMPLATE template0") }
        return TestDatabase(server: self, name: name)
    }

    /// Runs SQL (or a file with `file: true`) through psql as the superuser, stopping at the first error.
    public func psql(database: String, _ sql: String, file: Bool = false) throws {
        var arguments = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", socketDirectory, "-p", String(port), "-U", "postgres", "-d", database]
        arguments += file ? ["-f", sql] : ["-c", sql]
        try run("psql", arguments, asOwner: false)
    }

    /// Runs one of the server's programs (as `postgres` when we are root), failing with its output.
    func run(_ program: String, _ arguments: [String], asOwner: Bool = true) throws {
        let path = binDirectory + "/" + program
        let (executable, argv) = asPostgres && asOwner ? ("/usr/sbin/runuser", ["-u", "postgres", "--", path] + arguments) : (path, arguments)
        let (status, output) = try runSync(executable, argv)
        guard status == 0 else {
            throw Failure(description: "\(program) \(arguments.joined(separator: " ")) failed (\(status)): \(output.suffix(2_000))")
        }
    }

    /// Writes a file in the data directory with the server's owner as its owner.
    func asOwner(_ write: () throws -> Void) throws {
        try write()
        if asPostgres, let account = getpwnam("postgres") {
            chown(dataDirectory + "/pg_hba.conf", account.pointee.pw_uid, account.pointee.pw_gid)
        }
    }

    /// A free loopback TCP port (bound, read, released; the server takes it a moment later).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw Failure(description: "no free loopback port: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Runs a program to its end with output captured (in a file, so nothing has to be read while it
/// runs), with a clean signal mask: a server started from a test thread's blocked signals would
/// never see pg_ctl's SIGINT. Blocking: call it from a thread of its own (`onDedicatedThread`), or at exit.
func runSync(_ executable: String, _ arguments: [String]) throws -> (Int32, String) {
    let out = FileManager.default.temporaryDirectory.path + "/eventscope-cmd-\(getpid())-\(UUID().uuidString.prefix(8))"
    defer { try? FileManager.default.removeItem(atPath: out) }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for sig in [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD, SIGQUIT] { sigaddset(&defaults, sig) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let environment: [String] = ["PATH=/usr/bin:/bin:/usr/sbin:/sbin", "LC_ALL=C"]
    let envp = environment.map { strdup($0) } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var pid = pid_t()
    let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    guard spawned == 0 else { throw PostgresServer.Failure(description: "cannot start \(executable): \(String(cString: strerror(spawned)))") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1, errno == EINTR {}
    let code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return (code, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "")
}

/// One test's database in the shared cluster, with an admin session for the test's own writes.
public struct TestDatabase: Sendable {
    public let server: PostgresServer
    public let name: String

    /// The URL eventscope is given: the superuser over TCP (the reader makes its session read-only).
    public var url: String { server.url(database: name) }

    /// Runs SQL as the superuser through psql.
    public func psql(_ sql: String) async throws {
        try await onDedicatedThread { try server.psql(database: name, sql) }
    }

    /// Loads a plain-SQL dump (`pg_dump` output) with `psql -f`.
    public func load(dump path: String) async throws {
        try await onDedicatedThread { try server.psql(database: name, path, file: true) }
    }

    /// A session of the test's own (the writer side), as the superuser; close it when done.
    public func connect(user: String = "postgres") async throws -> PostgresConnection {
        var configuration = PostgresConnection.Configuration(host: "127.0.0.1", port: server.port, username: user, password: nil,
                                                             database: name, tls: .disable)
        configuration.options.additionalStartupParameters = [("TimeZone", "UTC")]
        return try await PostgresConnection.connect(configuration: configuration, id: 1, logger: quietLogger)
    }

    /// Drops the database (ends any session still on it).
    public func drop() async throws {
        try await onDedicatedThread { try server.psql(database: "postgres", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
    }
}

public let quietLogger = Logger(label: "eventscope.tests.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

/// Clusters started by test processes, one file each in a shared directory (the owning pid and the
/// data directory), so one that outlived its process (killed, crashed) is stopped by the next run,
/// and `scripts/test` can stop them all at its end.
enum Registry {
    static let directory = FileManager.default.temporaryDirectory.path + "/eventscope-test-clusters"
    /// The registry files of this process's clusters.
    static let mine = Mutex<[String]>([])

    static func record(base: String, server: PostgresServer) {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let file = directory + "/\(getpid())-\(UUID().uuidString.prefix(6))"
        let stop = (server.asPostgres ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : [])
            + [server.binDirectory + "/pg_ctl", "-D", server.dataDirectory, "-m", "immediate", "stop"]
        try? ([base] + stop).joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let first = mine.withLock { files in
            files.append(file)
            return files.count == 1
        }
        if first { atexit { Registry.stopMine() } }
    }

    static func stopMine() {
        for file in mine.withLock({ $0 }) { stop(file) }
    }

    /// Stops the cluster a registry file names, removes its directory and the file.
    static func stop(_ file: String) {
        let lines = ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        if lines.count > 1 { _ = try? runSync(lines[1], Array(lines.dropFirst(2))) }
        if let base = lines.first { try? FileManager.default.removeItem(atPath: base) }
        try? FileManager.default.removeItem(atPath: file)
    }

    /// Stops and removes the clusters of test processes that no longer run.
    static func stopOrphans() {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            guard let pid = name.split(separator: "-").first.flatMap({ Int32($0) }), kill(pid, 0) != 0, errno == ESRCH else { continue }
            stop(directory + "/" + name)
        }
    }
}
