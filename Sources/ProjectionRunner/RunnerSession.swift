import EventStore
import Logging
import ServiceLifecycle

/// A failed batch, as `onSkip` and the status row see it.
public struct BatchFailure: Error, Sendable, CustomStringConvertible {
    public var description: String
    public var position: GlobalPosition
}

/// The runner's state between cycles. `run()` drives it; tests call `step()` themselves and move
/// a `TestClock` between steps.
public struct RunnerSession<Backend: RunnerBackend, C: Clock>: Sendable where C.Duration == Duration {
    struct Rebuild: Sendable {
        var commandId: Int64
        var target: GlobalPosition
        var startedAt: Timestamp
    }

    struct Worker: Sendable {
        let projection: any Projection<Backend.Transaction>
        var holding = false
        var nextDue: C.Instant
        var lastRenew: C.Instant
        var checkpoint: GlobalPosition = -1
        var safe: SafePosition
        var poll: PollSchedule
        var failed = false
        var lastError: String?
        var lastErrorPosition: GlobalPosition?
        var skipped: Int64 = 0
        var rebuild: Rebuild?
        var throughput: [(at: C.Instant, count: Int)] = []
    }

    public let runner: ProjectionRunner<Backend, C>
    let startInstant: C.Instant
    var workers: [Worker]
    var nextCommandCheck: C.Instant

    public init(runner: ProjectionRunner<Backend, C>) {
        self.runner = runner
        let now = runner.clock.now
        startInstant = now
        nextCommandCheck = now
        workers = runner.projections.map {
            Worker(projection: $0, nextDue: now, lastRenew: now, safe: SafePosition(timeout: $0.options.gapTimeout.seconds),
                   poll: runner.configuration.poll)
        }
    }

    var backend: Backend { runner.backend }
    var logger: Logger { runner.logger }
    var holder: String { runner.configuration.holderId }
    var ttl: Duration { runner.configuration.leaseTTL }

    /// Wall time by the injected clock.
    public var wallNow: Timestamp {
        runner.wallClock?() ?? runner.wallStart.adding(seconds: startInstant.duration(to: runner.clock.now).seconds)
    }

    /// Whether this session holds `projection`'s lease.
    public func holds(_ projection: String) -> Bool { workers.first { $0.projection.name == projection }?.holding ?? false }
    public func checkpoint(of projection: String) -> GlobalPosition? { workers.first { $0.projection.name == projection }?.checkpoint }
    /// The wait the adaptive poll chose after the projection's last cycle.
    public func idleCycles(of projection: String) -> Int? { workers.first { $0.projection.name == projection }?.poll.idleCycles }

    /// Serves commands when due and runs one cycle of every projection that is due; returns the
    /// wait until the next thing is due. Store errors are logged and retried later, never thrown.
    public mutating func step() async -> Duration {
        let now = runner.clock.now
        if now >= nextCommandCheck {
            do { try await serveCommands() } catch { logger.error("reading es_projection_commands failed: \(error)") }
            nextCommandCheck = runner.clock.now.advanced(by: runner.configuration.commandPoll)
        }
        for index in workers.indices where workers[index].nextDue <= runner.clock.now {
            if ProjectionRunner<Backend, C>.stopping { break }
            do {
                try await cycle(index)
            } catch {
                logger.error("\(workers[index].projection.name): \(error)")
                workers[index].nextDue = runner.clock.now.advanced(by: runner.configuration.poll.maximum)
            }
        }
        let next = workers.map(\.nextDue).reduce(nextCommandCheck) { min($0, $1) }
        return max(.zero, runner.clock.now.duration(to: next))
    }

    /// Ends every rebuild in progress as failed, marks the projections stopped and releases the leases.
    public mutating func shutdown() async {
        for index in workers.indices where workers[index].holding {
            let name = workers[index].projection.name
            if let rebuild = workers[index].rebuild {
                try? await backend.finishCommand(rebuild.commandId, status: .failed,
                                                 detail: "the runner stopped at checkpoint \(workers[index].checkpoint) of \(rebuild.target); request it again",
                                                 at: wallNow)
                workers[index].rebuild = nil
            }
            try? await backend.writeStatus(status(of: index, state: .stopped))
            try? await backend.releaseLease(name, holder: holder)
            workers[index].holding = false
            logger.info("\(name): released the lease")
        }
    }

    // MARK: - The cycle

    mutating func cycle(_ index: Int) async throws {
        let name = workers[index].projection.name
        let now = runner.clock.now
        let renewEvery = ttl / 3
        if !workers[index].holding {
            let wall = wallNow
            guard try await backend.acquireLease(name, holder: holder, now: wall, expiresAt: wall.adding(seconds: ttl.seconds)) else {
                workers[index].nextDue = now.advanced(by: min(runner.configuration.poll.maximum, renewEvery))
                return
            }
            workers[index].holding = true
            workers[index].lastRenew = now
            workers[index].checkpoint = try await backend.checkpoint(name) ?? -1
            workers[index].safe.reset()
            logger.info("\(name): acquired the lease at checkpoint \(workers[index].checkpoint)")
            // A request waiting for whoever holds the lease starts before the first batch.
            try await serveCommands()
        } else if workers[index].lastRenew.duration(to: now) >= renewEvery {
            let wall = wallNow
            guard try await backend.renewLease(name, holder: holder, now: wall, expiresAt: wall.adding(seconds: ttl.seconds)) else {
                workers[index].holding = false
                workers[index].rebuild = nil
                logger.warning("\(name): lost the lease (it expired and another runner took it)")
                workers[index].nextDue = now.advanced(by: min(runner.configuration.poll.maximum, renewEvery))
                return
            }
            workers[index].lastRenew = now
        }
        var delay = runner.configuration.poll.maximum
        if !workers[index].failed {
            let outcome = try await process(index)
            delay = workers[index].poll.next(after: outcome)
            if outcome != .idle { delay = max(delay, workers[index].projection.options.batchPause) }
        }
        guard workers[index].holding else { return }
        let renewDue = workers[index].lastRenew.advanced(by: renewEvery)
        workers[index].nextDue = min(runner.clock.now.advanced(by: delay), renewDue)
        try await backend.writeStatus(status(of: index))
    }

    /// One batch: read, keep what is below the safe position, project and commit with the checkpoint.
    mutating func process(_ index: Int) async throws -> PollSchedule.Outcome {
        let projection = workers[index].projection
        let options = projection.options
        let checkpoint = workers[index].checkpoint
        let events = try await backend.events(after: checkpoint, types: projection.eventTypes, limit: options.batchSize)
        guard let last = events.last else {
            try await finishRebuildIfDone(index, everythingSeen: true)
            return .idle
        }
        var kept = events[...]
        if options.gapDetection {
            let runs = try await backend.missingRuns(after: checkpoint, through: last.globalPosition)
            let limit = workers[index].safe.limit(for: runs, at: wallNow)
            kept = events.prefix { $0.globalPosition <= limit }
            if kept.count < events.count, let held = runs.first(where: { $0.range.lowerBound > limit }) {
                logger.debug("\(projection.name): waiting for positions \(held.range) (gap timeout \(options.gapTimeout))")
            }
        }
        guard !kept.isEmpty else { return .idle }
        let batch = Array(kept)
        guard try await applyWithRetries(index, batch) else { return .idle }
        workers[index].checkpoint = batch.last!.globalPosition
        let now = runner.clock.now
        workers[index].throughput.removeAll { $0.at.duration(to: now) > .seconds(10) }
        workers[index].throughput.append((now, batch.count))
        let seenAll = kept.count == events.count && events.count < options.batchSize
        try await finishRebuildIfDone(index, everythingSeen: seenAll)
        return kept.count == options.batchSize ? .fullBatch : .someWork
    }

    /// Commits the batch, retrying with backoff; then stops or skips by policy. False when the
    /// batch was not committed (the projection failed, or the runner is stopping).
    mutating func applyWithRetries(_ index: Int, _ batch: [RecordedEvent]) async throws -> Bool {
        let projection = workers[index].projection
        let options = projection.options
        let name = projection.name
        let last = batch.last!.globalPosition
        var attempt = 0
        while true {
            do {
                try await backend.commit(name, checkpoint: last, at: wallNow) { tx in try projection.apply(batch, in: tx) }
                return true
            } catch {
                let failure = BatchFailure(description: String(describing: error),
                                           position: (error as? PositionedError)?.position ?? batch.first!.globalPosition)
                if attempt < options.maxRetries {
                    let wait = runner.jitter(options.backoffCeiling(attempt: attempt))
                    logger.warning("\(name): batch at \(batch.first!.globalPosition) failed (\(failure)); retry \(attempt + 1) of \(options.maxRetries) in \(wait)")
                    attempt += 1
                    guard await pause(wait) else { return false }
                    continue
                }
                workers[index].lastError = failure.description
                workers[index].lastErrorPosition = failure.position
                switch options.errorPolicy {
                case .stop:
                    workers[index].failed = true
                    logger.error("\(name): failed at position \(failure.position): \(failure.description); stopped (policy stop)")
                    if let rebuild = workers[index].rebuild {
                        try await backend.finishCommand(rebuild.commandId, status: .failed,
                                                        detail: "failed at position \(failure.position): \(failure.description)", at: wallNow)
                        workers[index].rebuild = nil
                    }
                    return false
                case .skip:
                    do {
                        try await backend.commit(name, checkpoint: last, at: wallNow) { tx in try projection.onSkip(batch, error: failure, in: tx) }
                    } catch {
                        logger.error("\(name): onSkip failed (\(error)); skipping the batch without it")
                        try await backend.commit(name, checkpoint: last, at: wallNow) { _ in }
                    }
                    workers[index].skipped += 1
                    logger.warning("\(name): skipped positions \(batch.first!.globalPosition)...\(last) (policy skip): \(failure.description)")
                    return true
                }
            }
        }
    }

    /// Waits on the injected clock; false when the wait was cut short by a shutdown.
    func pause(_ duration: Duration) async -> Bool {
        let clock = runner.clock
        do {
            try await cancelWhenGracefulShutdown { try await clock.sleep(for: duration) }
        } catch {
            return false
        }
        return !ProjectionRunner<Backend, C>.stopping
    }

    mutating func finishRebuildIfDone(_ index: Int, everythingSeen: Bool) async throws {
        guard let rebuild = workers[index].rebuild else { return }
        guard everythingSeen || workers[index].checkpoint >= rebuild.target else { return }
        let name = workers[index].projection.name
        try await backend.finishCommand(rebuild.commandId, status: .done,
                                        detail: "rebuilt up to \(rebuild.target); checkpoint \(workers[index].checkpoint)", at: wallNow)
        workers[index].rebuild = nil
        logger.info("\(name): rebuild \(rebuild.commandId) done at checkpoint \(workers[index].checkpoint)")
    }

    // MARK: - Commands

    mutating func serveCommands() async throws {
        for request in try await backend.openCommands() {
            guard let index = workers.firstIndex(where: { $0.projection.name == request.projectionName }) else {
                if request.status == .pending, !runner.configuration.knownProjections.contains(request.projectionName),
                   try await backend.checkpoint(request.projectionName) == nil {
                    let known = (runner.projections.map(\.name) + runner.configuration.knownProjections).sorted()
                    try await backend.finishCommand(request.id, status: .rejected,
                                                    detail: "no projection named \(request.projectionName) (known: \(known.joined(separator: ", ")))",
                                                    at: wallNow)
                    logger.warning("rejected request \(request.id): unknown projection \(request.projectionName)")
                }
                continue
            }
            guard workers[index].holding, workers[index].rebuild == nil else { continue }
            guard request.command == RunnerSchema.rebuild else {
                if request.status == .pending {
                    try await backend.finishCommand(request.id, status: .rejected, detail: "unknown command \(request.command) (known: rebuild)", at: wallNow)
                }
                continue
            }
            switch request.status {
            case .pending:
                if try await backend.claimCommand(request.id, at: wallNow) { try await startRebuild(index, commandId: request.id) }
            case .running:
                // A holder that died mid-rebuild left it running: the new holder carries it on.
                let head = try await backend.head()
                workers[index].rebuild = Rebuild(commandId: request.id, target: head, startedAt: wallNow)
                logger.info("\(request.projectionName): carrying on rebuild \(request.id) towards \(head)")
            default:
                continue
            }
        }
    }

    /// Teardown and checkpoint := -1 in one transaction, then the cycle replays to the head as of now.
    mutating func startRebuild(_ index: Int, commandId: Int64) async throws {
        let projection = workers[index].projection
        let target = try await backend.head()
        do {
            try await backend.commit(projection.name, checkpoint: -1, at: wallNow) { tx in try projection.teardown(in: tx) }
        } catch {
            try await backend.finishCommand(commandId, status: .failed, detail: "teardown failed: \(error)", at: wallNow)
            return
        }
        workers[index].checkpoint = -1
        workers[index].failed = false
        workers[index].lastError = nil
        workers[index].lastErrorPosition = nil
        workers[index].skipped = 0
        workers[index].safe.reset()
        workers[index].throughput = []
        workers[index].rebuild = Rebuild(commandId: commandId, target: target, startedAt: wallNow)
        workers[index].nextDue = runner.clock.now
        logger.info("\(projection.name): rebuild \(commandId) started, replaying to \(target)")
        try await backend.writeStatus(status(of: index))
        if target < 0 { try await finishRebuildIfDone(index, everythingSeen: true) }
    }

    // MARK: - Status

    func status(of index: Int, state: RunnerStatus.State? = nil) -> RunnerStatus {
        let worker = workers[index]
        let wall = wallNow
        let chosen = state ?? (worker.failed ? .failed : worker.rebuild != nil ? .rebuilding : .running)
        return RunnerStatus(projectionName: worker.projection.name, state: chosen, holderId: holder, heartbeatAt: .at(wall),
                            checkpoint: worker.checkpoint, eventTypes: worker.projection.eventTypes,
                            eventsPerSecond: eventsPerSecond(index), lastError: worker.lastError,
                            lastErrorPosition: worker.lastErrorPosition, skippedBatches: worker.skipped,
                            rebuildTarget: worker.rebuild?.target, rebuildStartedAt: worker.rebuild.map { .at($0.startedAt) },
                            updatedAt: .at(wall))
    }

    /// Events per second over the last ten seconds of the clock.
    func eventsPerSecond(_ index: Int) -> Double {
        let now = runner.clock.now
        let recent = workers[index].throughput.filter { $0.at.duration(to: now) <= .seconds(10) }
        guard let first = recent.first else { return 0 }
        let span = max(1, first.at.duration(to: now).seconds)
        return Double(recent.reduce(0) { $0 + $1.count }) / span
    }
}
