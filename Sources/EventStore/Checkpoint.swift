/// A projection's stored progress: the last global position it processed (`-1` = nothing).
public struct Checkpoint: Sendable, Hashable {
    public var projectionName: String
    public var position: GlobalPosition
    public var updatedAt: String
    public var createdAt: String?

    public init(projectionName: String, position: GlobalPosition, updatedAt: String, createdAt: String?) {
        self.projectionName = projectionName
        self.position = position
        self.updatedAt = updatedAt
        self.createdAt = createdAt
    }
}

/// A time-limited claim that one runner instance owns a projection (`es_projection_leases`).
public struct Lease: Sendable, Hashable {
    public var projectionName: String
    public var holderId: String
    public var acquiredAt: String?
    public var renewedAt: String?
    public var expiresAt: String

    public init(projectionName: String, holderId: String, acquiredAt: String?, renewedAt: String?, expiresAt: String) {
        self.projectionName = projectionName
        self.holderId = holderId
        self.acquiredAt = acquiredAt
        self.renewedAt = renewedAt
        self.expiresAt = expiresAt
    }

    /// Whether the lease has run out at `now`; nil when `expires_at` does not parse.
    public func isExpired(at now: Timestamp) -> Bool? {
        guard let expiry = Timestamp(parsing: expiresAt) else { return nil }
        return expiry < now
    }
}

/// An aggregate's saved state at a stream version (`es_snapshots`).
public struct Snapshot: Sendable, Hashable {
    public var streamId: String
    public var state: String
    public var version: Int64
    public var stateType: String
    public var schemaVersion: Int64
    public var createdAt: String?
    public var updatedAt: String?

    public init(streamId: String, state: String, version: Int64, stateType: String, schemaVersion: Int64,
                createdAt: String?, updatedAt: String?) {
        self.streamId = streamId
        self.state = state
        self.version = version
        self.stateType = stateType
        self.schemaVersion = schemaVersion
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
