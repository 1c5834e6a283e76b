/// An event a projection could not process and set aside (eventsource-py's `dead_letter_queue`):
/// what failed, how often, and the event as the projection received it.
public struct DeadLetter: Sendable, Hashable {
    /// The row's own id: dead letters are listed in this order, and paged by it.
    public var id: Int64
    public var projectionName: String
    public var eventId: String
    public var eventType: String
    /// The event as stored with the failure (JSON text, kept as stored).
    public var eventData: String
    public var errorMessage: String
    public var stackTrace: String?
    public var retryCount: Int64
    public var firstFailedAt: StoreTime
    public var lastFailedAt: StoreTime
    /// `failed`, `retrying` or `resolved` as the library writes it; any other text is kept as is.
    public var status: String
    public var resolvedAt: StoreTime?
    public var resolvedBy: String?
    public var problems: [ValueProblem]

    public init(id: Int64, projectionName: String, eventId: String, eventType: String, eventData: String, errorMessage: String,
                stackTrace: String?, retryCount: Int64, firstFailedAt: StoreTime, lastFailedAt: StoreTime, status: String,
                resolvedAt: StoreTime?, resolvedBy: String?, problems: [ValueProblem] = []) {
        self.id = id
        self.projectionName = projectionName
        self.eventId = eventId
        self.eventType = eventType
        self.eventData = eventData
        self.errorMessage = errorMessage
        self.stackTrace = stackTrace
        self.retryCount = retryCount
        self.firstFailedAt = firstFailedAt
        self.lastFailedAt = lastFailedAt
        self.status = status
        self.resolvedAt = resolvedAt
        self.resolvedBy = resolvedBy
        self.problems = problems
    }
}

/// Dead letters in id order, after a cursor, optionally of one projection or one status.
public struct DeadLetterQuery: Sendable, Hashable {
    public var projection: String?
    public var status: String?
    /// The last id of the previous page.
    public var after: Int64?
    public var limit: Int

    public init(projection: String? = nil, status: String? = nil, after: Int64? = nil, limit: Int = 100) {
        self.projection = projection
        self.status = status
        self.after = after
        self.limit = limit
    }
}

/// The transactional outbox (eventsource-py's `event_outbox`) in counts: what is still to publish
/// and how long the oldest of it has waited, by the database's clock.
public struct OutboxSummary: Sendable, Hashable {
    public var pending: Int64
    public var published: Int64
    public var failed: Int64
    /// When the oldest pending row was written; nil when nothing is pending.
    public var oldestPendingAt: StoreTime?
    /// The database's clock when the counts were read.
    public var databaseNow: Timestamp

    public init(pending: Int64, published: Int64, failed: Int64, oldestPendingAt: StoreTime?, databaseNow: Timestamp) {
        self.pending = pending
        self.published = published
        self.failed = failed
        self.oldestPendingAt = oldestPendingAt
        self.databaseNow = databaseNow
    }

    /// Seconds the oldest pending row has waited, by the database's clock; nil when none is pending
    /// or its time is unreadable.
    public var oldestPendingAge: Double? {
        oldestPendingAt?.timestamp.map { databaseNow.seconds(since: $0) }
    }
}
