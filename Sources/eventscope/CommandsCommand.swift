import ArgumentParser
import EventStore
import TerminalText

struct Commands: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The audit trail of operator requests (rebuilds): who asked, when, and how each ended. Newest first.",
        discussion: """
            Reads es_projection_commands, the table eventscope runners serve. A store without it (no eventscope \
            runner has served it) has had no request filed: that is said on standard error and the command \
            exits 0 (--json: "commands_table": false). Times are UTC.
            """)

    @OptionGroup var options: StoreOptions

    @Option(help: "Only the requests for this projection.")
    var projection: String?

    @Option(help: "At most this many requests, newest first.")
    var limit = 50

    func validate() throws {
        guard (1...1_000_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1,000,000") }
    }

    func run() async throws {
        let reader = try await options.open()
        let now = Timestamp.now()
        // One more than asked for says whether there are more.
        guard let fetched = try await reader.commandRequests(projection: projection, limit: limit + 1) else {
            if options.json {
                try Output.line(JSONValue.object(["requests": .array([]), "truncated": .bool(false), "commands_table": .bool(false)]).pretty)
            }
            Output.note("no requests have been filed in \(reader.info.location): it has no es_projection_commands table "
                + "(no eventscope runner has served it)")
            return
        }
        let requests = Array(fetched.prefix(limit))
        let truncated = fetched.count > limit
        if options.json {
            try Output.line(JSONValue.object([
                "requests": .array(requests.map { $0.json(now: now) }), "truncated": .bool(truncated), "commands_table": .bool(true),
            ]).pretty)
            if truncated { Output.note("more: --limit \(limit * 2)") }
            return
        }
        if requests.isEmpty {
            Output.note("no requests have been filed" + (projection.map { " for \($0)" } ?? "") + " in \(reader.info.location)")
            return
        }
        var table = TextTable([.init("ID", .right), .init("PROJECTION"), .init("COMMAND"), .init("REQUESTED BY"), .init("REQUESTED (UTC)"),
                               .init("STATUS"), .init("STARTED"), .init("FINISHED"), .init("TOOK", .right), .init("DETAIL")])
        for r in requests {
            let p = r.problems
            table.append([p.shown("id", String(r.id)), p.shown("projection_name", r.projectionName), p.shown("command", r.command),
                          p.shown("requested_by", r.requestedBy), Self.time(r.requestedAt), p.shown("status", r.status.text),
                          Self.time(r.startedAt), Self.time(r.finishedAt), RequestWatch.duration(r, now: now) ?? "–",
                          r.detail.map { fit(p.shown("detail", $0), width: 72) } ?? "–"])
        }
        try Output.write(table.render())
        if truncated { Output.note("more: --limit \(limit * 2)") }
    }

    /// `2026-11-22 11:16:25`: the second is enough to read an audit trail; a broken time is marked.
    static func time(_ time: StoreTime?) -> String {
        guard let time else { return "–" }
        guard let t = time.timestamp else { return time.shown }
        return String(t.iso8601.prefix(19)).replacingOccurrences(of: "T", with: " ")
    }
}

extension CommandRequest {
    /// The `--json` form of a request (`commands`, `rebuild --json`); broken values as `<field>_error`.
    func json(now: Timestamp) -> JSONValue {
        let took = startedAt?.timestamp.flatMap { start in
            (finishedAt?.timestamp ?? (status.isFinal ? nil : now)).map { $0.seconds(since: start) }
        }
        func time(_ value: StoreTime?) -> JSONValue { value.map { .string($0.text) } ?? .null }
        let members: [JSONValue.Member] = [
            .init("id", .int(id)), .init("projection_name", .string(projectionName)), .init("command", .string(command)),
            .init("requested_by", .string(requestedBy)), .init("requested_at", .string(requestedAt.text)),
            .init("status", .string(status.text)), .init("started_at", time(startedAt)), .init("finished_at", time(finishedAt)),
            .init("duration_seconds", jsonNumber(took)), .init("detail", detail.json),
        ]
        return .record(members, problems: problems,
                       times: [("requested_at", requestedAt), ("started_at", startedAt), ("finished_at", finishedAt)])
    }
}

/// A number with one decimal, or null (also for a value that is not finite, which JSON cannot hold).
func jsonNumber(_ value: Double?, decimals: Int = 1) -> JSONValue {
    guard let value, value.isFinite else { return .null }
    return .number(String(format: "%.\(decimals)f", value))
}
