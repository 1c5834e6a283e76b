import ArgumentParser
import EventStore
import TerminalText

struct Gaps: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List runs of global positions that no visible event holds.",
        discussion: """
            The window defaults to the one projections still have ahead of them: from just above the lowest \
            checkpoint (or 0) to the head. Kinds: missing (no row: rolled back, crashed or in flight) and \
            deleted (rows of soft-deleted streams, invisible to projections). BLOCKING names the projections \
            whose checkpoint sits right below the gap. On PostgreSQL, FILL says whether a missing run can still \
            fill (fillable: a writing transaction older than the run is still open) or not (permanent); \
            unknown when this role cannot see other roles' sessions (grant pg_read_all_stats).
            """)

    @OptionGroup var options: StoreOptions

    // Unconditional: a negative position is a value to reject with a reason, not a missing one.
    @Option(parsing: .unconditional, help: "The window's first global position.")
    var from: Int64?

    @Option(parsing: .unconditional, help: "The window's last global position (default: the head).")
    var to: Int64?

    @Option(help: "At most this many runs.")
    var limit = 10_000

    @Flag(help: "Also report events whose stream has no row (a check per event in the window: slower).")
    var orphans = false

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
        if let from, let to, from > to { throw ValidationError("--from \(from) is after --to \(to)") }
    }

    @Option(help: "Seconds a missing run may still fill before it is stale (a waku runner then skips it).")
    var gapTimeout: Double = 10

    func run() async throws {
        let reader = try await options.open()
        if let lacking = reader.info.lacking(.gaps) {
            if options.json { try Output.line(reader.info.unsupportedJSON(.gaps).pretty) } else { Output.note(lacking) }
            return
        }
        let now = Timestamp.now()
        // Only whether events are pending matters here, so count to one.
        let snapshot = try await reader.projectionProgress(ProgressRequest(pendingCap: 1))
        let head = snapshot.head
        for p in [from, to].compactMap({ $0 }) where p < 0 || p > head {
            throw StoreError.positionOutOfRange(p, head: head)
        }
        // By default, the window projections still have ahead of them: empty when all are at the head.
        let checkpoints = snapshot.projections.map(\.checkpoint.position)
        let lo = from ?? Gap.defaultWindow(head: head, checkpoints: checkpoints)?.lowerBound ?? head + 1
        let hi = to ?? head
        let gaps = lo <= hi && head >= 0 ? try await reader.gaps(in: lo...hi, limit: limit, includeOrphans: orphans) : []
        var tracker = GapTracker(timeout: gapTimeout)
        if lo <= hi { try await tracker.observe(gaps, in: lo...hi, head: head, at: now, reader: reader) }
        // PostgreSQL can tell whether a missing run may still fill (an open writer older than the run).
        var fillability: [Gap.Fillability?] = gaps.map { _ in nil }
        if let transactions = reader as? any OpenTransactionReader, !gaps.isEmpty {
            let writers = try await transactions.openWriters()
            fillability = gaps.map { gap in
                Gap.fillability(of: gap, firstSeen: tracker.born(overlapping: gap.from...gap.to) ?? now, now: now, writers: writers)
            }
        }
        let statuses = ProjectionStatus.all(in: snapshot, gaps: tracker, now: now, thresholds: .init(gapTimeout: gapTimeout))
        let blocking = gaps.map { gap in statuses.filter { $0.blockingGaps(in: [gap]).contains(gap) }.map(\.name) }
        let truncated = gaps.count == limit
        let next = truncated ? PageCursor("from", (gaps.last?.to ?? lo) + 1) : nil
        if options.json {
            let items = zip(gaps.indices, blocking).map { i, names -> JSONValue in
                let gap = gaps[i]
                guard case .object(var members) = gap.json else { return gap.json }
                members.append(.init("state", .string(tracker.state(of: gap, at: now).rawValue)))
                // null where the store cannot tell (SQLite) or this role cannot see every session.
                members.append(.init("fillability", fillability[i].map { .string($0.rawValue) } ?? .null))
                members.append(.init("age_seconds", .number(String(format: "%.1f", tracker.age(of: gap, at: now)))))
                members.append(.init("blocking", .array(names.map(JSONValue.string))))
                return .object(members)
            }
            let window: JSONValue = .object(["from": .int(lo), "to": .int(hi)])
            try Output.line(JSONValue.object([
                "window": window, "head": .int(head), "gaps": .array(items), "truncated": .bool(truncated),
                "next": next?.json ?? .null,
            ]).pretty)
            if let next { Output.note("more gaps: --from \(next.argument)") }
            return
        }
        let positions = gaps.reduce(0) { $0 + $1.length }
        if lo > hi { Output.note("no window: every projection is at the head \(head)"); return }
        Output.note("window \(lo)…\(hi) (head \(head)): \(gaps.count)\(truncated ? "+" : "") gap\(gaps.count == 1 ? "" : "s") covering \(positions) position\(positions == 1 ? "" : "s")")
        let canTell = reader is any OpenTransactionReader
        var table = TextTable([.init("FROM", .right), .init("TO", .right), .init("LENGTH", .right), .init("KIND"), .init("STATE")]
                              + (canTell ? [.init("FILL")] : []) + [.init("AGE", .right), .init("BLOCKING")])
        for (i, names) in zip(gaps.indices, blocking) {
            let gap = gaps[i]
            table.append([String(gap.from), String(gap.to), String(gap.length), gap.kind.rawValue, tracker.state(of: gap, at: now).rawValue]
                         + (canTell ? [fillability[i]?.rawValue ?? "unknown"] : [])
                         + [formatAge(seconds: tracker.age(of: gap, at: now)), names.joined(separator: ", ")])
        }
        if !gaps.isEmpty { try Output.write(table.render()) }
        if let next { Output.note("more gaps: --from \(next.argument)") }
    }
}
