import EventStore
import PostgresStore
import SQLiteRequests
import ExplorerConfig
import ExplorerCore
import Foundation

/// What an explorer on one store can do about rebuilds, worked out at the edge: the config's
/// event types and commands, the request connection (when the store has a commands table), and
/// the launcher for configured commands.
struct ExplorerRebuilds: Sendable {
    var setup: RebuildSetup
    var requester: (any CommandRequester)?
    var launcher: (any CommandLauncher)?
    /// Who asks, as the commands table records it.
    var requestedBy: String

    static let none = ExplorerRebuilds(setup: RebuildSetup(), requester: nil, launcher: nil, requestedBy: "eventscope")

    /// Opens the request connection for a store: the explorer's one write, through a connection
    /// of its own that can insert into `es_projection_commands` and nothing else.
    /// On SQLite, `SQLiteCommandRequester` opens that connection per request, with an authorizer that
    /// refuses every other statement; on PostgreSQL, `PostgresCommandRequester` opens one per
    /// request that sends the one `INSERT` (as `EVENTSCOPE_REQUEST_URL`'s role when it is set).
    static let makeRequester: @Sendable (_ location: StoreLocation) throws -> (any CommandRequester)? = { location in
        switch location {
        case .sqlite(let path): return SQLiteCommandRequester(path: path)
        case .postgres(let url): return try postgresRequester(storeURL: url)
        }
    }

    /// The config file (`--config`, else the default path), read or refused with one clear line.
    static func config(path: String?) throws -> UserConfig {
        do { return try ConfigFile.load(path: path, environment: ProcessInfo.processInfo.environment) } catch {
            throw StoreError.badArgument(error.description)
        }
    }

    /// Everything for one store: `given` is the store as typed, `reader` is open on it.
    static func forStore(_ given: String, reader: any StoreReader, config: UserConfig,
                         makeRequester: @Sendable (StoreLocation) throws -> (any CommandRequester)? = makeRequester) async -> ExplorerRebuilds {
        var setup = config.rebuildSetup(for: ConfigFile.names(ofStore: given))
        var requester: (any CommandRequester)?
        // Without a commands table no runner of ours serves the store: a request would go nowhere.
        let hasCommands = ((try? await reader.commandRequests(projection: nil, limit: 1)) ?? nil) != nil
        if !hasCommands {
            setup.unavailableReason = "no \(RunnerSchema.commands) table (no eventscope runner serves this store); "
                + "config.toml can give a rebuild command"
        } else {
            do {
                requester = try makeRequester(try StoreLocation(given))
                if requester == nil { setup.unavailableReason = "this build of eventscope cannot file requests on this kind of store" }
            } catch {
                setup.unavailableReason = "the request connection could not be opened: \(StoreError.message(for: error, at: reader.info.location))"
            }
        }
        setup.canRequest = requester != nil
        let environment = ProcessInfo.processInfo.environment
        let user = environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "unknown"
        return ExplorerRebuilds(setup: setup, requester: requester, launcher: SubprocessLauncher(),
                                requestedBy: "\(user)@\(ProcessInfo.processInfo.hostName) (eventscope explore)")
    }
}

/// The request connection for a PostgreSQL store: the store's URL, or `EVENTSCOPE_REQUEST_URL` when
/// the operator gives requests a role of their own (the one that may insert into the commands
/// table), resolved with the same environment and password file as the reader.
func postgresRequester(storeURL: String) throws -> PostgresCommandRequester {
    let environment = ProcessInfo.processInfo.environment
    let url = environment["EVENTSCOPE_REQUEST_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? storeURL
    return PostgresCommandRequester(target: try PostgresTarget.fromSystem(url: url))
}
