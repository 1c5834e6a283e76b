import ArgumentParser
import EventStore
import TerminalText

struct Gaps: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List runs of global positions that no visible event holds.",
        discussion: """
            The window defaults to the one projections still have ahead of them: from just above the lowest
            checkpoint (or 0) to the head. Kinds: missing (no row: rolled back, crashed or in flight) and
            deleted (rows of soft-deleted streams, invisible to projections). BLOCKING names the projections
            whose checkpoint sits right below the gap.
            """)

    @OptionGroup var options: StoreOptions

    @Option(help: "The window's first global position.")
    var from: Int64?

    @Option(help: "The window's last global position (default: the head).")
    var to: Int64?

    @Option(help: "At most this many runs.")
    var limit = 10_000

    @Flag(help: "Also report events whose stream has no row (a check per event in the window: slower).")
    var orphans = false

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
        if let from, let to, from > to { throw ValidationError("--from \(from) is after --to \(to)") }
    }

    func run() async throws {
        let reader = try await options.open()
        let head = try await reader.head()
        for p in [from, to].compactMap({ $0 }) where p < 0 || p > head {
            throw StoreError.positionOutOfRange(p, head: head)
        }
        // Only whether events are pending matters here, so count to one.
        let statuses = try await reader.projectionStatuses(pendingCap: 1)
        // By default, the window projections still have ahead of them: empty when all are at the head.
        let lo = from ?? Gap.defaultWindow(head: head, checkpoints: statuses.map(\.checkpoint.position))?.lowerBound ?? head + 1
        let hi = to ?? head
        let gaps = lo <= hi && head >= 0 ? try await reader.gaps(in: lo...hi, limit: limit, includeOrphans: orphans) : []
        let blocking = gaps.map { gap in statuses.filter { $0.blockingGaps(in: [gap]).contains(gap) }.map(\.name) }
        let truncated = gaps.count == limit
        if options.json {
            let items = zip(gaps, blocking).map { gap, names -> JSONValue in
                guard case .object(var members) = gap.json else { return gap.json }
                members.append(.init("blocking", .array(names.map(JSONValue.string))))
                return .object(members)
            }
            try Output.line(JSONValue.object([
                "window": .object(["from": .int(lo), "to": .int(hi)]), "head": .int(head),
                "gaps": .array(items), "truncated": .bool(truncated),
            ]).pretty)
            return
        }
        let positions = gaps.reduce(0) { $0 + $1.length }
        if lo > hi { Output.note("no window: every projection is at the head \(head)"); return }
        Output.note("window \(lo)…\(hi) (head \(head)): \(gaps.count)\(truncated ? "+" : "") gap\(gaps.count == 1 ? "" : "s") covering \(positions) position\(positions == 1 ? "" : "s")")
        var table = TextTable([.init("FROM", .right), .init("TO", .right), .init("LENGTH", .right), .init("KIND"), .init("BLOCKING")])
        for (gap, names) in zip(gaps, blocking) {
            table.append([String(gap.from), String(gap.to), String(gap.length), gap.kind.rawValue, names.joined(separator: ", ")])
        }
        if !gaps.isEmpty { try Output.write(table.render()) }
        if truncated { Output.note("more gaps: --from \((gaps.last?.to ?? lo) + 1)") }
    }
}
