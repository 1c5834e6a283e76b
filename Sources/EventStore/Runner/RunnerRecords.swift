/// What a runner says about a projection in `es_projection_status`.
public struct RunnerStatus: Sendable, Hashable {
    /// A stored state word; anything else another program wrote is kept as text.
    public enum State: Sendable, Hashable {
        case running, stopped, failed, rebuilding
        case other(String)

        public init(text: String) {
            switch text {
            case "running": self = .running
            case "stopped": self = .stopped
            case "failed": self = .failed
            case "rebuilding": self = .rebuilding
            default: self = .other(text)
            }
        }

        public var text: String {
            switch self {
            case .running: "running"
            case .stopped: "stopped"
            case .failed: "failed"
            case .rebuilding: "rebuilding"
            case .other(let raw): raw
            }
        }
    }

    public var projectionName: String
    public var state: State
    public var holderId: String?
    public var heartbeatAt: StoreTime?
    public var checkpoint: GlobalPosition?
    /// The types the projection takes; nil = every type.
    public var eventTypes: Set<String>?
    public var eventsPerSecond: Double?
    public var lastError: String?
    public var lastErrorPosition: GlobalPosition?
    public var skippedBatches: Int64
    /// While rebuilding: the head when the rebuild began; the checkpoint's way to it is the progress.
    public var rebuildTarget: GlobalPosition?
    public var rebuildStartedAt: StoreTime?
    public var updatedAt: StoreTime?
    public var problems: [ValueProblem]

    public init(projectionName: String, state: State, holderId: String? = nil, heartbeatAt: StoreTime? = nil,
                checkpoint: GlobalPosition? = nil, eventTypes: Set<String>? = nil, eventsPerSecond: Double? = nil,
                lastError: String? = nil, lastErrorPosition: GlobalPosition? = nil, skippedBatches: Int64 = 0,
                rebuildTarget: GlobalPosition? = nil, rebuildStartedAt: StoreTime? = nil, updatedAt: StoreTime? = nil,
                problems: [ValueProblem] = []) {
        self.projectionName = projectionName
        self.state = state
        self.holderId = holderId
        self.heartbeatAt = heartbeatAt
        self.checkpoint = checkpoint
        self.eventTypes = eventTypes
        self.eventsPerSecond = eventsPerSecond
        self.lastError = lastError
        self.lastErrorPosition = lastErrorPosition
        self.skippedBatches = skippedBatches
        self.rebuildTarget = rebuildTarget
        self.rebuildStartedAt = rebuildStartedAt
        self.updatedAt = updatedAt
        self.problems = problems
    }
}

/// An operator's request to a runner (`es_projection_commands`), and how it ended.
public struct CommandRequest: Sendable, Hashable {
    public enum Status: Sendable, Hashable {
        case pending, running, done, failed, rejected
        case other(String)

        public init(text: String) {
            switch text {
            case "pending": self = .pending
            case "running": self = .running
            case "done": self = .done
            case "failed": self = .failed
            case "rejected": self = .rejected
            default: self = .other(text)
            }
        }

        public var text: String {
            switch self {
            case .pending: "pending"
            case .running: "running"
            case .done: "done"
            case .failed: "failed"
            case .rejected: "rejected"
            case .other(let raw): raw
            }
        }

        /// Whether the request has ended (nothing more will happen to it).
        public var isFinal: Bool {
            switch self {
            case .done, .failed, .rejected: true
            case .pending, .running, .other: false
            }
        }
    }

    public var id: Int64
    public var projectionName: String
    public var command: String
    public var requestedBy: String
    public var requestedAt: StoreTime
    public var status: Status
    public var startedAt: StoreTime?
    public var finishedAt: StoreTime?
    public var detail: String?
    public var problems: [ValueProblem]

    public init(id: Int64, projectionName: String, command: String, requestedBy: String, requestedAt: StoreTime,
                status: Status, startedAt: StoreTime? = nil, finishedAt: StoreTime? = nil, detail: String? = nil,
                problems: [ValueProblem] = []) {
        self.id = id
        self.projectionName = projectionName
        self.command = command
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.status = status
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.detail = detail
        self.problems = problems
    }
}

/// The one write the explorer (and `eventscope rebuild`) ever makes: a row in the commands table,
/// through a connection of its own that can do nothing else. Implemented per engine outside the
/// read-only adapters.
public protocol CommandRequester: Sendable {
    /// Files a `pending` request and returns its id.
    func request(_ command: String, projection: String, requestedBy: String) async throws -> Int64
}
