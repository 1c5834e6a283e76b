import ArgumentParser
import EventStore
import TerminalText

struct Projections: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show projections: checkpoint, head, pending events, last update, lease and a status word.",
        discussion: """
            Lag is counted as pending events: visible events after the checkpoint (deleted streams excluded), \
            up to --pending-cap. Status words: caught-up, catching-up, stalled, blocked-by-gap, rebuilding, \
            lease-expired. On a store an eventscope runner serves (es_projection_status, es_projection_commands), \
            the runner's own view is added: its state, throughput, skipped batches, last error and where, a \
            rebuild's progress, and the latest request; pending events then count the projection's own types.
            """)

    @OptionGroup var options: StoreOptions

    @Option(help: "Stop counting pending events past this many and report \"more than N\".")
    var pendingCap: Int64 = 100_000

    @Option(help: "Seconds a gap may stay open before a projection stuck below it is blocked-by-gap.")
    var gapTimeout: Double = 10

    @Option(help: "Seconds without checkpoint progress, with events pending, before a projection is stalled.")
    var stallAfter: Double = 60

    func validate() throws {
        guard (1...1_000_000_000_000).contains(pendingCap) else { throw ValidationError("--pending-cap must be between 1 and 10^12") }
    }

    func run() async throws {
        let reader = try await options.open()
        if let lacking = reader.info.lacking(.checkpoints) {
            if options.json { try Output.line(reader.info.unsupportedJSON(.checkpoints).pretty) } else { Output.note(lacking) }
            return
        }
        let now = Timestamp.now()
        let statuses = try await reader.projectionStatuses(
            now: now, request: ProgressRequest(pendingCap: pendingCap), thresholds: .init(gapTimeout: gapTimeout, stallAfter: stallAfter))
        if options.json {
            try Output.line(JSONValue.array(statuses.map { $0.jsonWithRunner(now: now) }).pretty)
            return
        }
        if statuses.isEmpty { Output.note("no projections: es_checkpoints is empty or absent") }
        // The runner's columns only where a runner has left its tables: a waku app's store reads as before.
        let hasStatusTable = try await reader.runnerStatuses() != nil
        let hasCommandsTable = try await reader.commandRequests(projection: nil, limit: 1) != nil
        let served = hasStatusTable || hasCommandsTable
        var columns: [TextTable.Column] = [.init("PROJECTION"), .init("STATUS"), .init("CHECKPOINT", .right), .init("HEAD", .right),
                                           .init("PENDING", .right), .init("UPDATED"), .init("LEASE HOLDER"), .init("LEASE")]
        if served {
            columns += [.init("RUNNER"), .init("EV/S", .right), .init("REBUILD"), .init("REQUEST"), .init("SKIPPED", .right), .init("LAST ERROR")]
        }
        var table = TextTable(columns)
        for s in statuses {
            // A clock ahead of ours gives a future time: "in 5m", not "in 5m ago".
            let updated = s.checkpoint.updatedAt.timestamp.map { t -> String in
                let age = now.seconds(since: t)
                return age < 0 ? formatAge(seconds: age) : formatAge(seconds: age) + " ago"
            } ?? s.checkpoint.updatedAt.shown
            var leaseText = "–"
            if let lease = s.lease {
                if let left = s.leaseExpiresIn {
                    leaseText = left >= 0 ? "expires in " + formatAge(seconds: left) : "expired " + formatAge(seconds: -left) + " ago"
                } else {
                    leaseText = "expires " + lease.expiresAt.shown
                }
            }
            let p = s.checkpoint.problems
            var row = [p.shown("name", s.name), s.state.rawValue, p.shown("position", String(s.checkpoint.position)), String(s.head),
                       s.pending.description, updated, s.lease.map { $0.problems.shown("holder_id", $0.holderId) } ?? "–", leaseText]
            if served { row += Self.runnerCells(s.progress.runner, s.progress.latestRequest) }
            table.append(row)
        }
        try Output.write(table.render())
        // The head above is not what the library's readers see when rows wait behind its horizon.
        if let horizon = try await (reader as? any VisibilityHorizonReader)?.visibilityHorizon(cap: pendingCap) {
            Output.note("visibility horizon: " + horizon.sentence)
        }
    }

    /// RUNNER, EV/S, REBUILD, REQUEST, SKIPPED, LAST ERROR.
    static func runnerCells(_ runner: RunnerStatus?, _ request: CommandRequest?) -> [String] {
        let requestText = request.map { r in "#\(r.problems.shown("id", String(r.id))) \(r.problems.shown("status", r.status.text))" } ?? "–"
        guard let runner else { return ["–", "–", "–", requestText, "–", "–"] }
        let p = runner.problems
        let rate = runner.eventsPerSecond.flatMap { $0.isFinite ? Int($0.rounded()).formatted() : nil }
        let rebuild = RebuildProgress(runner).map { progress in
            "\(Int((progress.fraction * 100).rounded(.down)))%" + (progress.etaSeconds.map { " ETA " + RequestWatch.seconds($0) } ?? "")
        }
        var error = "–"
        if let message = runner.lastError {
            let at = runner.lastErrorPosition.map { "@\(p.shown("last_error_position", String($0))) " } ?? ""
            error = fit(at + p.shown("last_error", message), width: 48)
        }
        return [p.shown("state", runner.state.text), p.shown("events_per_second", rate ?? "–"), rebuild ?? "–", requestText,
                p.shown("skipped_batches", String(runner.skippedBatches)), error]
    }
}

extension ProjectionStatus {
    /// The `--json` object with the runner's view added: `runner`, `rebuild` and `latest_request`
    /// (each null when the store has none); the other keys are `json(now:)`'s, unchanged.
    func jsonWithRunner(now: Timestamp) -> JSONValue {
        guard case .object(var members) = json(now: now) else { return json(now: now) }
        members.append(.init("runner", progress.runner.map(\.json) ?? .null))
        members.append(.init("rebuild", progress.runner.flatMap(RebuildProgress.init).map(\.json) ?? .null))
        members.append(.init("latest_request", progress.latestRequest.map { $0.json(now: now) } ?? .null))
        return .object(members)
    }
}

extension RunnerStatus {
    /// The runner's row as `projections --json` gives it; broken values as `<field>_error`.
    var json: JSONValue {
        func int(_ value: Int64?) -> JSONValue { value.map { .int($0) } ?? .null }
        func time(_ value: StoreTime?) -> JSONValue { value.map { .string($0.text) } ?? .null }
        let types: JSONValue = eventTypes.map { .array($0.sorted().map(JSONValue.string)) } ?? .null
        let members: [JSONValue.Member] = [
            .init("state", .string(state.text)), .init("holder_id", holderId.json), .init("heartbeat_at", time(heartbeatAt)),
            .init("checkpoint", int(checkpoint)), .init("event_types", types),
            .init("events_per_second", jsonNumber(eventsPerSecond)), .init("last_error", lastError.json),
            .init("last_error_position", int(lastErrorPosition)), .init("skipped_batches", .int(skippedBatches)),
            .init("rebuild_target", int(rebuildTarget)), .init("rebuild_started_at", time(rebuildStartedAt)),
            .init("updated_at", time(updatedAt)),
        ]
        return .record(members, problems: problems.filter { $0.field != "projection_name" },
                       times: [("heartbeat_at", heartbeatAt), ("rebuild_started_at", rebuildStartedAt), ("updated_at", updatedAt)])
    }
}

extension RebuildProgress {
    var json: JSONValue {
        .object([
            "target": .int(target), "checkpoint": .int(checkpoint), "fraction": jsonNumber(fraction, decimals: 4),
            "events_per_second": jsonNumber(eventsPerSecond), "eta_seconds": jsonNumber(etaSeconds),
        ])
    }
}
