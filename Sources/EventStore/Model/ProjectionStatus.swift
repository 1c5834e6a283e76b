/// What `projectionProgress` is asked for.
public struct ProgressRequest: Sendable, Hashable {
    /// Counting pending events stops past this many ("more than N").
    public var pendingCap: Int64
    /// The event types a projection takes, where known (a config, a runner's status row); a
    /// projection not named here counts events of every type.
    public var eventTypes: [String: Set<String>]

    public init(pendingCap: Int64 = 100_000, eventTypes: [String: Set<String>] = [:]) {
        self.pendingCap = pendingCap
        self.eventTypes = eventTypes
    }
}

/// One projection's progress as the store records it, read with every other in one snapshot.
public struct ProjectionProgress: Sendable, Hashable {
    public var checkpoint: Checkpoint
    public var lease: Lease?
    /// Visible events after the checkpoint (of the projection's types): the honest lag (SPEC §3.1).
    public var pending: PendingCount
    /// The first such event's global position and commit time.
    public var nextVisible: GlobalPosition?
    public var nextVisibleTime: StoreTime?
    /// For a projection that takes only some event types: the first visible event of any type after
    /// the checkpoint. Positions between the checkpoint and it are missing from the log; positions
    /// between it and `nextVisible` merely hold other types, which is no gap. Nil when the
    /// projection takes every type (then it is `nextVisible`).
    public var nextVisibleAnyType: GlobalPosition?
    public var nextVisibleAnyTypeTime: StoreTime?
    /// The runner's own account (`es_projection_status`), when an eventscope runner serves the store.
    public var runner: RunnerStatus?
    /// The newest operator request for this projection (`es_projection_commands`), if any.
    public var latestRequest: CommandRequest?

    public init(checkpoint: Checkpoint, lease: Lease?, pending: PendingCount, nextVisible: GlobalPosition?,
                nextVisibleTime: StoreTime?, nextVisibleAnyType: GlobalPosition? = nil, nextVisibleAnyTypeTime: StoreTime? = nil,
                runner: RunnerStatus? = nil, latestRequest: CommandRequest? = nil) {
        self.checkpoint = checkpoint
        self.lease = lease
        self.pending = pending
        self.nextVisible = nextVisible
        self.nextVisibleTime = nextVisibleTime
        self.nextVisibleAnyType = nextVisibleAnyType
        self.nextVisibleAnyTypeTime = nextVisibleAnyTypeTime
        self.runner = runner
        self.latestRequest = latestRequest
    }

    public var name: String { checkpoint.projectionName }

    /// The first visible event of any type after the checkpoint, when there is pending work: the
    /// end of the run of missing positions this projection waits on, if any.
    var waitingEnd: (position: GlobalPosition, time: StoreTime?)? {
        guard let next = nextVisible else { return nil }
        if let any = nextVisibleAnyType, any < next { return (any, nextVisibleAnyTypeTime) }
        return (next, nextVisibleTime)
    }

    /// The run of missing positions right above the checkpoint that this projection waits on.
    public var waitingRun: Gap? {
        guard let end = waitingEnd?.position, end > checkpoint.position + 1 else { return nil }
        return Gap(from: checkpoint.position + 1, to: end - 1, kind: .missing)
    }
}

/// Every projection's progress, the head and the database's clock, all from one read.
public struct ProjectionSnapshot: Sendable, Hashable {
    public var head: GlobalPosition
    /// The store's clock when it was read: lease expiry is judged by it, as waku judges it.
    public var databaseNow: Timestamp
    /// In projection-name order.
    public var projections: [ProjectionProgress]
    /// The outbox's counts where the store keeps one and the reader was asked for them (the
    /// explorer's Projections pane); nil otherwise.
    public var outbox: OutboxSummary?

    public init(head: GlobalPosition, databaseNow: Timestamp, projections: [ProjectionProgress]) {
        self.head = head
        self.databaseNow = databaseNow
        self.projections = projections
    }

    /// The runs between each lagging checkpoint and its next visible event: what each waits on.
    public var waitingRuns: [Gap] {
        projections.compactMap(\.waitingRun)
    }
}

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

    public var progress: ProjectionProgress
    public var head: GlobalPosition
    /// Whether the lease has expired by the database's clock; nil with no lease or an unreadable expiry.
    public var leaseExpired: Bool?
    /// Seconds until the lease expires by the database's clock (negative once expired).
    public var leaseExpiresIn: Double?
    public var state: State

    public var name: String { progress.name }
    public var checkpoint: Checkpoint { progress.checkpoint }
    public var pending: PendingCount { progress.pending }
    public var nextVisible: GlobalPosition? { progress.nextVisible }
    public var lease: Lease? { progress.lease }

    public struct Thresholds: Sendable, Hashable {
        /// A gap younger than this may still fill (SPEC §4: waku's default 10 s).
        public var gapTimeout: Double
        /// A projection with pending events and no progress for this long is stalled.
        public var stallAfter: Double
        public init(gapTimeout: Double = 10, stallAfter: Double = 60) {
            self.gapTimeout = gapTimeout
            self.stallAfter = stallAfter
        }
    }

    /// Classifies one projection. `gaps` ages the run the projection waits on; `now` is the
    /// caller's clock for ages, the snapshot's `databaseNow` judges leases.
    public init(_ progress: ProjectionProgress, head: GlobalPosition, databaseNow: Timestamp, gaps: GapTracker,
                now: Timestamp, thresholds: Thresholds = .init()) {
        self.progress = progress
        self.head = head
        let expiry = progress.lease?.expiresAt.timestamp
        leaseExpired = progress.lease == nil ? nil : expiry.map { $0 < databaseNow }
        leaseExpiresIn = expiry.map { $0.seconds(since: databaseNow) }
        state = Self.classify(progress, leaseExpired: leaseExpired == true, gaps: gaps, now: now, thresholds: thresholds)
    }

    /// The status word. Order matters: an expired lease means nobody owns the projection, which is
    /// the first thing an operator must know, whatever the lag.
    static func classify(_ p: ProjectionProgress, leaseExpired: Bool, gaps: GapTracker, now: Timestamp,
                         thresholds: Thresholds) -> State {
        if leaseExpired { return .leaseExpired }
        if p.pending.count == 0 { return .caughtUp }
        if p.checkpoint.position < 0, p.lease != nil { return .rebuilding }
        let nextTime = p.nextVisibleTime?.timestamp
        if let run = p.waitingRun {
            // Waiting on the run right above the checkpoint: blocked once that run outlives the timeout.
            let endTime = p.waitingEnd?.time?.timestamp
            let born = gaps.born(overlapping: run.from...run.to) ?? min(now, endTime ?? now)
            if now.seconds(since: born) > thresholds.gapTimeout { return .blockedByGap }
        }
        // No progress since the later of the last checkpoint write and the first pending event's commit.
        let since = [p.checkpoint.updatedAt.timestamp, nextTime].compactMap { $0 }.max()
        if let since, now.seconds(since: since) > thresholds.stallAfter { return .stalled }
        return .catchingUp
    }

    /// Statuses for every projection of a snapshot, in name order.
    public static func all(in snapshot: ProjectionSnapshot, gaps: GapTracker, now: Timestamp,
                           thresholds: Thresholds = .init()) -> [ProjectionStatus] {
        snapshot.projections.map {
            ProjectionStatus($0, head: snapshot.head, databaseNow: snapshot.databaseNow, gaps: gaps, now: now, thresholds: thresholds)
        }
    }

    /// The gaps between the checkpoint and the next visible event: what this projection waits on.
    public func blockingGaps(in gaps: [Gap]) -> [Gap] {
        guard let run = progress.waitingRun else { return [] }
        return gaps.filter { $0.to >= run.from && $0.from <= run.to }
    }
}

extension StoreReader {
    /// Every projection's status, with a tracker that has seen only the runs projections wait on
    /// (the one-shot commands; the explorer keeps one tracker for its whole session).
    public func projectionStatuses(now: Timestamp, request: ProgressRequest = .init(),
                                   thresholds: ProjectionStatus.Thresholds = .init()) async throws -> [ProjectionStatus] {
        let snapshot = try await projectionProgress(request)
        var tracker = GapTracker(timeout: thresholds.gapTimeout)
        tracker.observeWaiting(in: snapshot, now: now)
        return ProjectionStatus.all(in: snapshot, gaps: tracker, now: now, thresholds: thresholds)
    }
}

extension GapTracker {
    /// Records the runs a snapshot's projections wait on, dated by the events right after them.
    public mutating func observeWaiting(in snapshot: ProjectionSnapshot, now: Timestamp) {
        for run in snapshot.waitingRuns where born(overlapping: run.from...run.to) == nil {
            let times = snapshot.projections.filter { $0.waitingEnd?.position == run.to + 1 }.compactMap { $0.waitingEnd?.time?.timestamp }
            observe([run], in: run.from...run.to, head: snapshot.head, at: now,
                    commitTimes: times.first.map { [run.to + 1: $0] } ?? [:])
        }
    }
}

extension StoreReader {
    /// SPEC §5's default gap window: from just above the lowest checkpoint (or the start) to the head.
    public func defaultGapWindow() async throws -> ClosedRange<GlobalPosition>? {
        let snapshot = try await projectionProgress(ProgressRequest(pendingCap: 1))
        return Gap.defaultWindow(head: snapshot.head, checkpoints: snapshot.projections.map(\.checkpoint.position))
    }
}
