/// How far a rebuild has come, from the runner's status row: what the explorer's bar and
/// `rebuild --wait` show. Anyone who can read the status table can compute it.
public struct RebuildProgress: Sendable, Hashable {
    /// The head when the rebuild began.
    public var target: GlobalPosition
    /// The checkpoint so far (-1 before the first batch).
    public var checkpoint: GlobalPosition
    /// 0...1 of the way from the start to the target, by global position.
    public var fraction: Double
    public var eventsPerSecond: Double?
    /// Seconds left at the recent rate, when there is one.
    public var etaSeconds: Double?

    /// nil unless the row says the projection is rebuilding towards a known target.
    public init?(_ status: RunnerStatus) {
        guard status.state == .rebuilding, let target = status.rebuildTarget else { return nil }
        self.init(target: target, checkpoint: status.checkpoint ?? -1, eventsPerSecond: status.eventsPerSecond)
    }

    public init(target: GlobalPosition, checkpoint: GlobalPosition, eventsPerSecond: Double?) {
        self.target = target
        self.checkpoint = checkpoint
        self.eventsPerSecond = eventsPerSecond.flatMap { $0.isFinite && $0 > 0 ? $0 : nil }
        let done = Double(max(0, checkpoint + 1)), total = Double(max(0, target + 1))
        fraction = total == 0 ? 1 : min(1, done / total)
        // Positions left approximate events left: gaps only make the estimate pessimistic.
        etaSeconds = self.eventsPerSecond.map { Double(max(0, target - checkpoint)) / $0 }
    }
}

/// What a rebuild would cost, shown before an operator confirms one.
public struct RebuildImpact: Sendable, Hashable {
    public var projection: String
    public var checkpoint: GlobalPosition?
    /// Visible events of the projection's types up to the head: what the rebuild replays.
    public var eventsToReplay: PendingCount
    public var head: GlobalPosition
    /// Who holds the projection's lease, and whether it has expired by the database's clock.
    public var leaseHolder: String?
    public var leaseExpired: Bool?
    /// The runner's recent throughput, and the replay time it implies.
    public var eventsPerSecond: Double?
    public var etaSeconds: Double?
    /// The newest request, when one is still pending or running (a second would queue behind it).
    public var openRequest: CommandRequest?

    public init(projection: String, checkpoint: GlobalPosition?, eventsToReplay: PendingCount, head: GlobalPosition,
                leaseHolder: String?, leaseExpired: Bool?, eventsPerSecond: Double?, openRequest: CommandRequest?) {
        self.projection = projection
        self.checkpoint = checkpoint
        self.eventsToReplay = eventsToReplay
        self.head = head
        self.leaseHolder = leaseHolder
        self.leaseExpired = leaseExpired
        self.eventsPerSecond = eventsPerSecond.flatMap { $0.isFinite && $0 > 0 ? $0 : nil }
        etaSeconds = self.eventsPerSecond.map { Double(eventsToReplay.count) / $0 }
        self.openRequest = openRequest
    }
}

extension StoreReader {
    /// The impact of rebuilding `projection`, counted up to `cap` events; nil when the store knows
    /// no projection of that name (no checkpoint and no status row).
    public func rebuildImpact(of projection: String, eventTypes: Set<String>? = nil, cap: Int64 = 10_000_000) async throws -> RebuildImpact? {
        let snapshot = try await projectionProgress(ProgressRequest(pendingCap: 1))
        let progress = snapshot.projections.first { $0.name == projection }
        let status = try await runnerStatuses()?.first { $0.projectionName == projection }
        guard progress != nil || status != nil else { return nil }
        let types = eventTypes ?? status?.eventTypes ?? []
        let replay = try await pendingEvents(after: -1, eventTypes: types, cap: cap)
        let open = (try await commandRequests(projection: projection, limit: 1))?.first.flatMap { $0.status.isFinal ? nil : $0 }
        let lease = progress?.lease
        return RebuildImpact(projection: projection, checkpoint: progress?.checkpoint.position ?? status?.checkpoint,
                             eventsToReplay: replay, head: snapshot.head, leaseHolder: lease?.holderId,
                             leaseExpired: lease?.isExpired(at: snapshot.databaseNow), eventsPerSecond: status?.eventsPerSecond,
                             openRequest: open)
    }
}
