import EventStore
import Foundation
import Logging
import PostgresNIO

/// Files operator requests into a PostgreSQL store's `es_projection_commands`: the explorer's one
/// write (SPEC §4). Each request opens a connection of its own (never one of the reader's sessions,
/// which are read-only), sends exactly one statement, `insert`, and closes it. So the role it
/// connects as needs only `INSERT` on that table (and `SELECT` on it, which `RETURNING id` reads;
/// the reader has that already): see the README's least-privilege role. It never creates the table.
///
/// `target` may name another role than the reader's (`EVENTSCOPE_REQUEST_URL`), so an operator can
/// keep the role that reads the store without any write at all.
public struct PostgresCommandRequester: CommandRequester {
    public let target: PostgresTarget

    public init(target: PostgresTarget) {
        self.target = target
    }

    /// The one statement a request runs. The times and status are given, not left to defaults, so
    /// a commands table made by another runner without them takes the request too.
    public static let insert = """
        INSERT INTO es_projection_commands (projection_name, command, requested_by, requested_at, status)
        VALUES ($1, $2, $3, now(), 'pending') RETURNING id::text
        """

    /// A request's session: named in `pg_stat_activity`, times in UTC, and a lock held elsewhere
    /// (a runner's long transaction) waited for 5 s at most rather than for ever.
    static let startupParameters: [(String, String)] = [
        ("application_name", "eventscope-request"),
        ("TimeZone", "UTC"),
        ("lock_timeout", "5s"),
        ("statement_timeout", "30s"),
    ]

    /// Files a `pending` request and returns its id. Throws `StoreError`: bad input (exit status 2)
    /// for what the operator must fix (no commands table, a missing grant), `unreachable` or
    /// `queryFailed` otherwise. Messages name the store by its redacted location.
    public func request(_ command: String, projection: String, requestedBy: String) async throws -> Int64 {
        let logger = Logger(label: "eventscope.postgres.request", factory: { _ in SwiftLogNoOpLogHandler() })
        let connection: PostgresConnection
        do {
            let configuration = try ReaderSessions.configuration(for: target, startupParameters: Self.startupParameters)
            connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        } catch {
            throw Self.describe(error, target: target)
        }
        do {
            var id: Int64?
            let query = PostgresQuery(unsafeSQL: Self.insert, binds: Self.binds(projection, command, requestedBy))
            for try await row in try await connection.query(query, logger: logger) {
                if case .text(let bytes) = ServerRow(row)[0] { id = Int64(String(decoding: bytes, as: UTF8.self)) }
            }
            try? await connection.close()
            guard let id else {
                throw StoreError.queryFailed(location: target.location, reason: "the request was inserted but its id did not come back")
            }
            return id
        } catch {
            try? await connection.close()
            throw Self.describe(error, target: target)
        }
    }

    static func binds(_ values: String...) -> PostgresBindings {
        var binds = PostgresBindings()
        for value in values { binds.append(value) }
        return binds
    }

    /// The server's refusals in words that say what to grant or to start; the rest as the reader says them.
    static func describe(_ error: any Error, target: PostgresTarget) -> StoreError {
        let location = target.location
        guard let psql = error as? PSQLError, psql.code == .server else { return PostgresFailure.describe(error, target: target) }
        let state = psql.serverInfo?[.sqlState] ?? ""
        let message = PostgresFailure.oneLine(psql.serverInfo?[.message] ?? "an error without a message")
        let role = target.user
        switch state {
        case "42P01":
            return .unsupportedLocation(location, reason: "no eventscope runner serves this store (it has no \(RunnerSchema.commands) "
                + "table), so nothing would pick a request up; nothing was filed")
        case "42501":
            return .unsupportedLocation(location, reason: "\(message): the role \(role.debugDescription) files requests with "
                + "`GRANT INSERT, SELECT ON \(RunnerSchema.commands) TO \(role)`; nothing was filed")
        case "42703", "23502", "42804":
            return .unsupportedLocation(location, reason: "\(RunnerSchema.commands) is not the table an eventscope runner makes "
                + "(\(message)); nothing was filed")
        case "25006":
            return .unsupportedLocation(location, reason: "\(message): the role \(role.debugDescription) only reads "
                + "(default_transaction_read_only); give requests a role that may insert with EVENTSCOPE_REQUEST_URL; nothing was filed")
        case "55P03", "57014":
            return .queryFailed(location: location, reason: "\(RunnerSchema.commands) stayed locked (a runner holds it); nothing was filed, try again")
        default:
            return PostgresFailure.describe(error, target: target)
        }
    }
}
