import EventStore
import Foundation
import Logging
import PostgresNIO

/// The reader's connections to the server, opened read-only and re-established when lost.
///
/// Every session starts with `default_transaction_read_only=on` in its startup packet, so each
/// transaction it runs, implicit or explicit, is read-only unless a statement asks otherwise, and
/// the adapter sends no such statement. Sessions are made on demand (the explorer reads several
/// panes at once), kept idle for reuse, and dropped when the server closes them: the next read
/// connects again, so a restarted server is picked up without restarting eventscope.
actor ReaderSessions {
    let target: PostgresTarget
    let logger: Logger
    private var idle: [PostgresConnection] = []
    private var made = 0
    static let keptIdle = 4

    deinit {
        // A reader dropped without `close()` must not leave its sessions open on the server.
        for connection in idle { Self.close(connection) }
    }

    init(target: PostgresTarget) {
        self.target = target
        // postgres-nio logs to the logger it is given; eventscope's output is its own, so nothing is logged.
        logger = Logger(label: "eventscope.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
    }

    /// The startup parameters of every session: read-only, and times and dates in one fixed form.
    static let startupParameters: [(String, String)] = [
        ("default_transaction_read_only", "on"),
        ("DateStyle", "ISO, YMD"),
        ("TimeZone", "UTC"),
        ("IntervalStyle", "postgres"),
        ("application_name", "eventscope"),
        // JIT compiles a plan in ~100 ms: a loss for an explorer's short keyset queries.
        ("jit", "off"),
    ]

    /// An open session and whether it was used before (a reused one may have lost its server).
    func checkout() async throws -> (PostgresConnection, reused: Bool) {
        while let connection = idle.popLast() {
            if !connection.isClosed { return (connection, true) }
        }
        made += 1
        let connection = try await PostgresConnection.connect(configuration: try configuration(), id: made, logger: logger)
        return (connection, false)
    }

    func checkin(_ connection: PostgresConnection) {
        if !connection.isClosed, idle.count < Self.keptIdle { idle.append(connection) } else { discard(connection) }
    }

    nonisolated func discard(_ connection: PostgresConnection) { Self.close(connection) }

    /// Closes without waiting, holding the connection until it is closed (postgres-nio asserts
    /// that a connection is closed before it is released).
    static func close(_ connection: PostgresConnection) {
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    func closeAll() async {
        let all = idle
        idle = []
        for connection in all { try? await connection.close() }
    }

    func configuration() throws -> PostgresConnection.Configuration {
        try Self.configuration(for: target, startupParameters: Self.startupParameters)
    }

    /// How to reach `target` (libpq's rules, resolved in `PostgresTarget`), with these startup parameters.
    static func configuration(for target: PostgresTarget, startupParameters: [(String, String)]) throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        switch target.endpoint {
        case .tcp(let host, let port):
            configuration = .init(host: host, port: port, username: target.user, password: target.password,
                                  database: target.database, tls: try tls(for: target))
        case .socket(let directory, let port):
            // libpq never uses TLS on a Unix-domain socket, whatever sslmode says.
            configuration = .init(unixSocketPath: directory + "/.s.PGSQL.\(port)", username: target.user,
                                  password: target.password, database: target.database)
        }
        configuration.options.connectTimeout = .seconds(Int64(target.connectTimeoutSeconds))
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }

    static func tls(for target: PostgresTarget) throws -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch target.sslMode {
        case .disable: return .disable
        case .prefer, .require: tls.certificateVerification = .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        if let root = target.sslRootCert, [.verifyCA, .verifyFull].contains(target.sslMode) {
            tls.trustRoots = .file(root)
        }
        let context = try NIOSSLContext(configuration: tls)
        return target.sslMode == .prefer ? .prefer(context) : .require(context)
    }
}

extension PostgresTarget {
    /// How to reach this target (libpq's rules, TLS as `sslmode` says) for a connection of another
    /// purpose than reading, such as the projection runner's.
    public func connectionConfiguration(startupParameters: [(String, String)]) throws -> PostgresConnection.Configuration {
        try ReaderSessions.configuration(for: self, startupParameters: startupParameters)
    }

    /// A connection failure in the words the reader uses for it (the password redacted).
    public func describe(_ error: any Error) -> StoreError { PostgresFailure.describe(error, target: self) }
}
