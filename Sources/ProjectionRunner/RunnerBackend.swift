import EventStore

/// The store side of the runner: one per engine (`ProjectionRunnerSQLite`; PostgreSQL next).
/// Every write the runner makes goes through here; the read-only adapters make none.
public protocol RunnerBackend: Sendable {
    associatedtype Transaction

    /// Creates the runner's tables (status, commands, checkpoints and leases) when missing.
    func prepare() async throws
    /// `max(global_position)`, -1 for an empty store.
    func head() async throws -> GlobalPosition
    func checkpoint(_ projection: String) async throws -> GlobalPosition?
    /// Up to `limit` visible events (deleted streams excluded) after `position`, of `types` (nil = all), ascending.
    func events(after position: GlobalPosition, types: Set<String>?, limit: Int) async throws -> [RecordedEvent]
    /// Runs of positions with no row in (`after`, `through`], ascending, each with the commit time of
    /// the event right after it.
    func missingRuns(after: GlobalPosition, through: GlobalPosition) async throws -> [MissingRun]
    /// Runs `body` and saves `checkpoint` for `projection` in one transaction.
    func commit(_ projection: String, checkpoint: GlobalPosition, at now: Timestamp,
                _ body: @escaping @Sendable (Transaction) throws -> Void) async throws

    /// waku's lease lock: an upsert that succeeds only when no row exists or it has expired.
    func acquireLease(_ projection: String, holder: String, now: Timestamp, expiresAt: Timestamp) async throws -> Bool
    /// Moves the expiry of a lease `holder` still holds; false when it no longer does.
    func renewLease(_ projection: String, holder: String, now: Timestamp, expiresAt: Timestamp) async throws -> Bool
    func releaseLease(_ projection: String, holder: String) async throws

    func writeStatus(_ status: RunnerStatus) async throws
    /// Requests that are `pending` or `running`, oldest first.
    func openCommands() async throws -> [CommandRequest]
    /// pending → running; false when another runner took it first.
    func claimCommand(_ id: Int64, at now: Timestamp) async throws -> Bool
    func finishCommand(_ id: Int64, status: CommandRequest.Status, detail: String?, at now: Timestamp) async throws
}

/// Positions with no row, and when the event right after them was committed (nil when unreadable).
public struct MissingRun: Sendable, Hashable {
    public var range: ClosedRange<GlobalPosition>
    public var nextCommittedAt: Timestamp?

    public init(range: ClosedRange<GlobalPosition>, nextCommittedAt: Timestamp?) {
        self.range = range
        self.nextCommittedAt = nextCommittedAt
    }
}
