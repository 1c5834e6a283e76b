import ArgumentParser
import EventStore
import Foundation
import PostgresStore
import SQLiteRequests
import SQLiteStore
import TerminalText

struct Rebuild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "File a request that the runner serving a projection rebuild it; optionally follow it to the end.",
        discussion: """
            The request is a row in es_projection_commands, the one write eventscope ever makes, through a \
            connection that can insert there and nothing else; the eventscope runner that holds the \
            projection's lease picks it up. At a terminal the rebuild's impact is shown first (checkpoint, \
            events to replay, lease holder, an estimate from the runner's recent throughput, a request already \
            open) and the projection's name must be typed to confirm; without a terminal --yes is required. \
            With --wait: exit 0 when the request is done, 1 when it failed or was rejected, 130 when \
            interrupted (the request stays filed). Bad input (an unknown projection, a store no runner \
            serves, no confirmation possible) exits 2 with nothing written.
            """)

    @OptionGroup var options: StoreOptions

    @Argument(help: "The projection to rebuild.")
    var projection: String

    @Flag(help: "Follow the request until it is done, failed or rejected: a progress bar at a terminal, plain lines otherwise.")
    var wait = false

    @Option(help: "Who asks, for the audit trail (default: user@host).")
    var requestedBy: String?

    @Flag(help: "File it without asking for the projection's name (required when there is no terminal).")
    var yes = false

    @Option(help: "Seconds between looks at the store while waiting.")
    var interval: Double = 0.25

    func validate() throws {
        guard !projection.isEmpty else { throw ValidationError("the projection's name is empty") }
        guard (0.05...60).contains(interval) else { throw ValidationError("--interval must be between 0.05 and 60 seconds") }
        if let requestedBy, requestedBy.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--requested-by is empty")
        }
    }

    func run() async throws {
        let location = try StoreLocation(options.store)
        let reader = try await options.open()
        let known = Set(try await reader.checkpoints().map(\.projectionName))
            .union(try await reader.runnerStatuses()?.map(\.projectionName) ?? [])
        guard known.contains(projection) else {
            // Names come from the store: drawn safe, like every table cell.
            Output.fail(Sanitizer.line("no projection \(projection.debugDescription) in \(reader.info.location)"
                + (known.isEmpty ? " (it has none)" : "; projections: " + known.sorted().joined(separator: ", "))
                + "; nothing was filed"), status: 2)
        }
        // Said before any question: a store no runner has served cannot take a request.
        if try await reader.commandRequests(projection: projection, limit: 1) == nil {
            Output.fail(RequestError.noRunnerTable(location: reader.info.location).description, status: 2)
        }
        // The impact counts the events to replay (a scan of the log's index): only for someone to read it.
        let terminal = isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1
        if terminal {
            // Counting a large log takes seconds (about 6 s a million events): say so while it counts.
            Output.progress("counting the events a rebuild of \(projection) replays…")
            let impact = try await reader.rebuildImpact(of: projection, cap: Self.replayCountCap)
            Output.progress("\r\u{1B}[K")
            if let impact { Output.note(Sanitizer.lines(Self.describe(impact, location: reader.info.location)).joined(separator: "\n")) }
        }
        if !yes {
            guard terminal else {
                Output.fail("refusing to file a rebuild of \(projection) without a terminal to confirm it: pass --yes; nothing was filed", status: 2)
            }
            try confirm()
        }

        // The one write, through a connection of its own that may only insert the request.
        let requester: any CommandRequester = switch location {
        case .sqlite(let path): SQLiteCommandRequester(path: path)
        case .postgres(let url): try postgresRequester(storeURL: url)
        }
        let id: Int64
        do {
            id = try await requester.request(RunnerSchema.rebuild, projection: projection, requestedBy: requestedBy ?? Self.defaultRequester())
        } catch let error as RequestError {
            Output.fail(error.description, status: error.isBadInput ? 2 : 1)
        }
        let filed = try await reader.commandRequests(projection: projection, limit: 50)?.first { $0.id == id }
        if !wait {
            if options.json {
                try Output.line((filed?.json(now: Timestamp.now()) ?? .object(["id": .int(id)])).pretty)
            } else {
                try Output.line("filed request #\(id): rebuild \(projection) (pending); `eventscope commands \(options.store) --projection \(projection)` shows how it ends")
            }
            return
        }
        try await follow(id: id, reader: reader)
    }

    /// Asks for the projection's name; anything else, or the end of input, aborts with nothing written.
    func confirm() throws {
        Output.progress("Type the projection's name to rebuild it (anything else cancels): ")
        guard let typed = readLine(strippingNewline: true) else {
            Output.note("")
            Output.fail("cancelled (no answer): nothing was filed", status: 1)
        }
        guard typed.trimmingCharacters(in: .whitespaces) == projection else {
            Output.fail("cancelled: \(typed.debugDescription) is not \(projection.debugDescription); nothing was filed", status: 1)
        }
    }

    /// Follows request `id` until it ends, printing as `RequestWatch` says.
    func follow(id: Int64, reader: any StoreReader) async throws {
        StopSignals.install()
        let bar = isatty(STDERR_FILENO) == 1
        let clock = ContinuousClock()
        let start = clock.now
        var watch = RequestWatch(id: id, projection: projection)
        var barShown = false
        func say(_ text: String) throws {
            if barShown { Output.progress("\r\u{1B}[K") }
            barShown = false
            // Details and names come from the store (another program's text): drawn safe.
            let safe = Sanitizer.line(text)
            if options.json { Output.note(safe) } else { try Output.line(safe) }
        }
        while true {
            if StopSignals.stop {
                if barShown { Output.progress("\r\u{1B}[K") }
                let status = watch.status?.text ?? "pending"
                Output.fail("stopped waiting: request #\(id) stays filed (\(status)); `eventscope commands \(options.store) "
                    + "--projection \(projection)` shows how it ends", status: 130)
            }
            let seen = try await observe(id: id, reader: reader)
            let now = Timestamp.now()
            for report in watch.observe(seen, at: (clock.now - start) / .seconds(1), bar: bar) {
                switch report {
                case .status(let request):
                    try say(RequestWatch.line(for: request, now: now))
                case .noRunner:
                    try say("no runner currently serves \(projection) (no live lease holder): the request stays pending until "
                        + "one does; Ctrl-C stops waiting, the request stays filed")
                case .progress(let progress):
                    if bar {
                        Output.progress("\r\u{1B}[K  " + RequestWatch.bar(progress))
                        barShown = true
                    } else {
                        try say("  rebuilding \(projection): " + RequestWatch.summary(progress))
                    }
                case .vanished:
                    if barShown { Output.progress("\r\u{1B}[K") }
                    Output.fail("request #\(id) is no longer in es_projection_commands (deleted by hand?); stopped waiting", status: 1)
                }
            }
            if let request = seen.request, request.status.isFinal {
                if barShown { Output.progress("\r\u{1B}[K") }
                if options.json { try Output.line(request.json(now: now).pretty) }
                switch request.status {
                case .done: return
                default:
                    Output.fail(Sanitizer.line("request #\(id) \(request.status.text): \(request.detail ?? "no detail given")"), status: 1)
                }
            }
            try await clock.sleep(for: .seconds(interval))
        }
    }

    /// One consistent-enough look: the request's row, the runner's row, and a live lease holder.
    func observe(id: Int64, reader: any StoreReader) async throws -> RequestWatch.Observation {
        let request = try await reader.commandRequests(projection: projection, limit: 1_000)?.first { $0.id == id }
        let runner = try await reader.runnerStatuses()?.first { $0.projectionName == projection }
        let snapshot = try await reader.projectionProgress(ProgressRequest(pendingCap: 1))
        let lease = try await reader.leases().first { $0.projectionName == projection }
        let live = lease.flatMap { lease in lease.expiresAt.timestamp.map { $0 >= snapshot.databaseNow } == true ? lease.holderId : nil }
        return RequestWatch.Observation(request: request, runner: runner, liveHolder: live)
    }

    /// Past this many events to replay, the impact says "more than": the count is a scan of the log.
    static let replayCountCap: Int64 = 2_000_000

    /// The impact, as the operator reads it before confirming.
    static func describe(_ impact: RebuildImpact, location: String) -> String {
        var lines = ["Rebuild \(impact.projection) in \(location): its read model is torn down and every event replayed."]
        lines.append("  checkpoint        " + (impact.checkpoint.map { "\($0.formatted()) (head \(impact.head.formatted()))" } ?? "none (head \(impact.head.formatted()))"))
        let replay = impact.eventsToReplay
        lines.append("  events to replay  " + (replay.isCapped ? "more than " : "") + replay.count.formatted())
        let lease: String
        switch (impact.leaseHolder, impact.leaseExpired) {
        case (nil, _): lease = "nobody holds the lease: no runner serves it now, the request will wait for one"
        case (let holder?, true?): lease = "held by \(holder), expired: its runner is gone, the request will wait for another"
        case (let holder?, _): lease = "held by \(holder)"
        }
        lines.append("  lease             " + lease)
        if let rate = impact.eventsPerSecond, let eta = impact.etaSeconds {
            lines.append("  estimate          " + (replay.isCapped ? "more than " : "~") + "\(RequestWatch.seconds(eta)) at \(Int(rate.rounded()).formatted()) events/s (the runner's recent throughput)")
        } else {
            lines.append("  estimate          none (the runner reports no recent throughput)")
        }
        if let open = impact.openRequest {
            lines.append("  open request      #\(open.id) \(open.status.text), requested by \(open.requestedBy) at \(open.requestedAt.shown): "
                + "a new one queues behind it")
        }
        return lines.joined(separator: "\n")
    }

    /// `user@host` from the environment (the program's edge).
    static func defaultRequester() -> String {
        let env = ProcessInfo.processInfo.environment
        let user = [env["USER"], env["LOGNAME"]].compactMap { $0 }.first { !$0.isEmpty }
            ?? getpwuid(geteuid()).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "uid\(geteuid())"
        var host = [CChar](repeating: 0, count: 256)
        let name = gethostname(&host, host.count) == 0
            ? String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "localhost"
        return "\(user)@\(name)"
    }
}
