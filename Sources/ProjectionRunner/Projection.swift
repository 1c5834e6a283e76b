import EventStore

/// A read model the runner keeps up to date from the store's events (SPEC §4).
///
/// `Transaction` is the backend's write transaction (a GRDB `Database` on SQLite): the runner
/// calls `apply` and commits the new checkpoint in that same transaction, so a read model and its
/// checkpoint never disagree.
public protocol Projection<Transaction>: Sendable {
    associatedtype Transaction
    /// The name in `es_checkpoints`, `es_projection_leases` and the status and command tables.
    var name: String { get }
    /// The event types it takes; nil = every type.
    var eventTypes: Set<String>? { get }
    /// Batch size, error policy and gap detection.
    var options: ProjectionOptions { get }
    /// Projects a batch of visible events, in global order.
    func apply(_ batch: [RecordedEvent], in transaction: Transaction) throws
    /// Empties the read model before a rebuild (in the transaction that resets the checkpoint).
    func teardown(in transaction: Transaction) throws
    /// Called under policy `skip` when a batch is given up on, in the transaction that moves the
    /// checkpoint past it (a dead-letter table goes here).
    func onSkip(_ batch: [RecordedEvent], error: any Error, in transaction: Transaction) throws
}

extension Projection {
    public var eventTypes: Set<String>? { nil }
    public var options: ProjectionOptions { ProjectionOptions() }
    public func onSkip(_ batch: [RecordedEvent], error: any Error, in transaction: Transaction) throws {}
}

/// What the runner does with a batch whose projection keeps failing.
public enum ErrorPolicy: String, Sendable, Hashable, CaseIterable {
    /// Mark the projection `failed` with the error and the position; process nothing more until a rebuild.
    case stop
    /// Move past the batch (calling `onSkip`), count it in the status row, and go on.
    case skip
}

/// Per-projection settings (SPEC §4 defaults).
public struct ProjectionOptions: Sendable, Hashable {
    public var batchSize: Int
    public var errorPolicy: ErrorPolicy
    /// Retries of a failing batch before the policy applies.
    public var maxRetries: Int
    /// Exponential backoff with full jitter: retry n waits a random time in 0...min(cap, base·2ⁿ).
    public var backoffBase: Duration
    public var backoffCap: Duration
    public var gapDetection: Bool
    /// A missing position younger than this holds the checkpoint (waku's 10 s).
    public var gapTimeout: Duration
    /// The least wait after a batch with work, even with more pending: for a projection that must
    /// pace itself (one that calls a rate-limited service per batch). Zero: the next batch at once.
    public var batchPause: Duration

    public init(batchSize: Int = 100, errorPolicy: ErrorPolicy = .stop, maxRetries: Int = 3,
                backoffBase: Duration = .milliseconds(500), backoffCap: Duration = .seconds(30),
                gapDetection: Bool = true, gapTimeout: Duration = .seconds(10), batchPause: Duration = .zero) {
        self.batchSize = max(1, batchSize)
        self.errorPolicy = errorPolicy
        self.maxRetries = max(0, maxRetries)
        self.backoffBase = backoffBase
        self.backoffCap = backoffCap
        self.gapDetection = gapDetection
        self.gapTimeout = gapTimeout
        self.batchPause = max(.zero, batchPause)
    }

    /// The longest wait before retry `attempt` (0-based): min(cap, base·2^attempt).
    public func backoffCeiling(attempt: Int) -> Duration {
        let factor = Double(1 << min(attempt, 30))
        let ceiling = backoffBase.seconds * factor
        return .seconds(min(backoffCap.seconds, ceiling))
    }
}

/// An error a projection throws to name the event that caused it; otherwise the batch's first
/// position is reported.
public protocol PositionedError: Error {
    var position: GlobalPosition { get }
}

extension Duration {
    /// The duration in seconds, as a Double.
    public var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
