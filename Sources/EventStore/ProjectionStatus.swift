/// A projection as an operator needs to see it: where it is, how much is left, who holds it.
public struct ProjectionStatus: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, CaseIterable {
        case caughtUp = "caught-up"
        case catchingUp = "catching-up"
        case stalled
        case blockedByGap = "blocked-by-gap"
        case rebuilding
        case leaseExpired = "lease-expired"
    }

    public var checkpoint: Checkpoint
    public var head: GlobalPosition
    /// Visible events after the checkpoint; the honest measure of lag (SPEC §3.1).
    public var pending: PendingCount
    /// The first visible event's position after the checkpoint, if any.
    public var nextVisible: GlobalPosition?
    public var lease: Lease?
    public var state: State

    public var name: String { checkpoint.projectionName }

    public init(checkpoint: Checkpoint, head: GlobalPosition, pending: PendingCount, nextVisible: GlobalPosition?,
                lease: Lease?, now: Timestamp, thresholds: Thresholds = .init()) {
        self.checkpoint = checkpoint
        self.head = head
        self.pending = pending
        self.nextVisible = nextVisible
        self.lease = lease
        self.state = Self.classify(checkpoint: checkpoint, pending: pending, nextVisible: nextVisible,
                                   lease: lease, now: now, thresholds: thresholds)
    }

    public struct Thresholds: Sendable, Hashable {
        /// A gap younger than this may still fill (SPEC §4: waku's default 10 s).
        public var gapTimeout: Double
        /// A projection with pending events whose checkpoint has not moved for this long is stalled.
        public var stallAfter: Double
        public init(gapTimeout: Double = 10, stallAfter: Double = 60) {
            self.gapTimeout = gapTimeout
            self.stallAfter = stallAfter
        }
    }

    /// The status word. Order matters: an expired lease means nobody owns the projection, which is
    /// the first thing an operator must know, whatever the lag.
    static func classify(checkpoint: Checkpoint, pending: PendingCount, nextVisible: GlobalPosition?,
                         lease: Lease?, now: Timestamp, thresholds: Thresholds) -> State {
        if let lease, lease.isExpired(at: now) == true { return .leaseExpired }
        if pending.count == 0 { return .caughtUp }
        if checkpoint.position < 0, lease != nil { return .rebuilding }
        let idle = Timestamp(parsing: checkpoint.updatedAt).map { now.seconds(since: $0) }
        if let next = nextVisible, next > checkpoint.position + 1, let idle, idle > thresholds.gapTimeout {
            return .blockedByGap
        }
        if let idle, idle > thresholds.stallAfter { return .stalled }
        return .catchingUp
    }

    /// The gaps between the checkpoint and the next visible event: what this projection waits on.
    public func blockingGaps(in gaps: [Gap]) -> [Gap] {
        guard let next = nextVisible, next > checkpoint.position + 1 else { return [] }
        return gaps.filter { $0.to > checkpoint.position && $0.from < next }
    }
}

extension StoreReader {
    /// Every checkpoint with its lag, lease and status word, in name order.
    public func projectionStatuses(now: Timestamp = .now(), pendingCap: Int64 = 100_000,
                                   thresholds: ProjectionStatus.Thresholds = .init()) async throws -> [ProjectionStatus] {
        let checkpoints = try await self.checkpoints()
        let leases = Dictionary(try await self.leases().map { ($0.projectionName, $0) }, uniquingKeysWith: { a, _ in a })
        let head = try await self.head()
        var result: [ProjectionStatus] = []
        for checkpoint in checkpoints.sorted(by: { $0.projectionName < $1.projectionName }) {
            let pending = try await pendingEvents(after: checkpoint.position, eventTypes: [], cap: pendingCap)
            let next = pending.count == 0 ? nil
                : try await log(LogQuery(anchor: .after(checkpoint.position), limit: 1)).first?.globalPosition
            result.append(ProjectionStatus(checkpoint: checkpoint, head: head, pending: pending, nextVisible: next,
                                           lease: leases[checkpoint.projectionName], now: now, thresholds: thresholds))
        }
        return result
    }

    /// SPEC §5's default gap window: from just above the lowest checkpoint (or the start) to the head.
    public func defaultGapWindow() async throws -> ClosedRange<GlobalPosition>? {
        Gap.defaultWindow(head: try await head(), checkpoints: try await checkpoints().map(\.position))
    }
}
