/// A projection's stored progress: the last global position it processed (`-1` = nothing).
public struct Checkpoint: Sendable, Hashable {
    public var projectionName: String
    public var position: GlobalPosition
    public var updatedAt: StoreTime
    public var createdAt: StoreTime?
    public var problems: [ValueProblem]

    public init(projectionName: String, position: GlobalPosition, updatedAt: StoreTime, createdAt: StoreTime?,
                problems: [ValueProblem] = []) {
        self.projectionName = projectionName
        self.position = position
        self.updatedAt = updatedAt
        self.createdAt = createdAt
        self.problems = problems
    }
}

/// A time-limited claim that one runner instance owns a projection (`es_projection_leases`).
public struct Lease: Sendable, Hashable {
    public var projectionName: String
    public var holderId: String
    public var acquiredAt: StoreTime?
    public var renewedAt: StoreTime?
    public var expiresAt: StoreTime
    public var problems: [ValueProblem]

    public init(projectionName: String, holderId: String, acquiredAt: StoreTime?, renewedAt: StoreTime?,
                expiresAt: StoreTime, problems: [ValueProblem] = []) {
        self.projectionName = projectionName
        self.holderId = holderId
        self.acquiredAt = acquiredAt
        self.renewedAt = renewedAt
        self.expiresAt = expiresAt
        self.problems = problems
    }

    /// Whether the lease has run out at `now` (waku: `expires_at < now()`); nil when the expiry is unreadable.
    public func isExpired(at now: Timestamp) -> Bool? {
        expiresAt.timestamp.map { $0 < now }
    }
}

/// An aggregate's saved state at a stream version (`es_snapshots`).
public struct Snapshot: Sendable, Hashable {
    public var streamId: String
    public var state: String
    public var version: Int64
    public var stateType: String
    public var schemaVersion: Int64
    public var createdAt: StoreTime?
    public var updatedAt: StoreTime?
    public var problems: [ValueProblem]

    public init(streamId: String, state: String, version: Int64, stateType: String, schemaVersion: Int64,
                createdAt: StoreTime?, updatedAt: StoreTime?, problems: [ValueProblem] = []) {
        self.streamId = streamId
        self.state = state
        self.version = version
        self.stateType = stateType
        self.schemaVersion = schemaVersion
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.problems = problems
    }
}
