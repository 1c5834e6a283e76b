import ArgumentParser
import EventStore
import TerminalText

struct Projections: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show projections: checkpoint, head, pending events, last update, lease and a status word.",
        discussion: """
            Lag is counted as pending events: visible events after the checkpoint (deleted streams excluded), \
            up to --pending-cap. Status words: caught-up, catching-up, stalled, blocked-by-gap, rebuilding, \
            lease-expired.
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
            try Output.line(JSONValue.array(statuses.map { $0.json(now: now) }).pretty)
            return
        }
        if statuses.isEmpty { Output.note("no projections: es_checkpoints is empty or absent") }
        var table = TextTable([.init("PROJECTION"), .init("STATUS"), .init("CHECKPOINT", .right), .init("HEAD", .right),
                               .init("PENDING", .right), .init("UPDATED"), .init("LEASE HOLDER"), .init("LEASE")])
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
            table.append([p.shown("name", s.name), s.state.rawValue, p.shown("position", String(s.checkpoint.position)), String(s.head),
                          s.pending.description, updated, s.lease.map { $0.problems.shown("holder_id", $0.holderId) } ?? "–", leaseText])
        }
        try Output.write(table.render())
    }
}
