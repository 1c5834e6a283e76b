import EventStore
import Logging
import ServiceLifecycle

/// Settings of one runner instance (projection settings live in `ProjectionOptions`).
public struct RunnerConfiguration: Sendable {
    /// Written into lease and status rows: who holds a projection.
    public var holderId: String
    /// waku's lease TTL (30 s); the lease is renewed every third of it.
    public var leaseTTL: Duration
    public var poll: PollSchedule
    /// How often the command table is read for requests.
    public var commandPoll: Duration
    /// Projections this program knows besides those it serves: requests for them are left pending
    /// (another runner may serve them) instead of being rejected.
    public var knownProjections: Set<String>

    public init(holderId: String, leaseTTL: Duration = .seconds(30), poll: PollSchedule = PollSchedule(),
                commandPoll: Duration = .seconds(1), knownProjections: Set<String> = []) {
        self.holderId = holderId
        self.leaseTTL = leaseTTL
        self.poll = poll
        self.commandPoll = commandPoll
        self.knownProjections = knownProjections
    }
}

/// Runs projections against a store until shut down (SPEC §4): leases, the catch-up cycle with
/// safe-position gap tracking, adaptive polling, error policies, status rows and operator commands.
///
/// A `Service`: under a `ServiceGroup`, SIGINT/SIGTERM end it gracefully (the batch in hand is
/// finished, leases are released). All time comes from the injected clock; wall time (for lease
/// and status rows) is `wallStart` moved by that clock.
public struct ProjectionRunner<Backend: RunnerBackend, C: Clock>: Service where C.Duration == Duration {
    public let backend: Backend
    public let projections: [any Projection<Backend.Transaction>]
    public let configuration: RunnerConfiguration
    public let clock: C
    public let wallStart: Timestamp
    public let logger: Logger
    /// Full jitter: a random wait in 0...ceiling (injected so tests can take the ceiling).
    public let jitter: @Sendable (Duration) -> Duration
    /// The wall time for lease and status rows; nil = `wallStart` moved by `clock` (tests).
    public let wallClock: (@Sendable () -> Timestamp)?

    public init(backend: Backend, projections: [any Projection<Backend.Transaction>], configuration: RunnerConfiguration,
                clock: C, wallStart: Timestamp = .now(), logger: Logger = Logger(label: "eventscope.runner"),
                jitter: @escaping @Sendable (Duration) -> Duration = { .seconds(Double.random(in: 0...max(0, $0.seconds))) },
                wallClock: (@Sendable () -> Timestamp)? = nil) {
        self.backend = backend
        self.projections = projections
        self.configuration = configuration
        self.clock = clock
        self.wallStart = wallStart
        self.logger = logger
        self.jitter = jitter
        self.wallClock = wallClock
    }

    /// Serves until the task is cancelled or a graceful shutdown is requested, then releases its leases.
    public func run() async throws {
        try await backend.prepare()
        var session = RunnerSession(runner: self)
        logger.info("runner \(configuration.holderId) serving \(projections.map(\.name).joined(separator: ", "))")
        while !Self.stopping {
            let delay = await session.step()
            if Self.stopping { break }
            if delay > .zero {
                let clock = self.clock
                // Only the wait is cut short by a shutdown, never a batch.
                try? await cancelWhenGracefulShutdown { try await clock.sleep(for: delay) }
            }
        }
        // Cancellation ended the loop; the goodbye writes must not see it (GRDB checks it).
        let ended = session
        await Task { var final = ended; await final.shutdown() }.value
        logger.info("runner \(configuration.holderId) stopped")
    }

    static var stopping: Bool { Task.isCancelled || Task.isShuttingDownGracefully }
}
