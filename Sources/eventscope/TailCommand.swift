import ArgumentParser
import EventStore
import Foundation
import SQLiteStore
import TerminalText

struct Tail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Follow the head of the log and print each new event as it commits.",
        discussion: """
            Prints visible events in global order (one JSON object per line with --json) within half a second \
            of their commit. On SQLite, the store's files are looked at every fifth of --interval (a stat and a \
            header read, no query) and a change is read at once. A position skipped and filled later by a slow writer (possible on PostgreSQL) is \
            printed when it appears, marked late, for --gap-timeout seconds. When the server goes away (a \
            PostgreSQL restart), tail says "reconnecting…" on standard error and retries with backoff, then \
            goes on from where it was: nothing lost, nothing repeated. Ends on Ctrl-C or a closed pipe.
            """)

    @OptionGroup var options: StoreOptions

    @Option(parsing: .unconditional, help: "Start at this global position (inclusive) instead of after the current head.")
    var from: Int64?

    @Option(name: .customLong("type"), help: "Only events of this type (repeatable).")
    var types: [String] = []

    @Flag(help: "Include events of soft-deleted streams.")
    var includeDeleted = false

    @Option(help: "Seconds between polls of the head when idle.")
    var interval: Double = 0.1

    @Option(help: "Seconds to keep watching a skipped position for a late commit.")
    var gapTimeout: Double = 10

    func validate() throws {
        guard interval >= 0.01, interval <= 0.5 else { throw ValidationError("--interval must be between 0.01 and 0.5 seconds") }
        if let from, from < 0 { throw ValidationError("--from \(from) is not a global position (0 or more)") }
    }

    func run() async throws {
        StopSignals.install()
        let reader = try await options.open()
        let head = try await reader.head()
        if let from, from > head + 1 { throw StoreError.positionOutOfRange(from, head: head) }
        var follower = LogFollower(cursor: from.map { $0 - 1 } ?? head, head: head, types: Set(types),
                                   includeHidden: includeDeleted, gapTimeout: gapTimeout)
        Output.note("following \(reader.info.location) after position \(follower.cursor) (Ctrl-C to stop)")
        // A lost server (a restart, a failover) is waited out: each failed poll leaves the follower
        // where it was, so the next one reads from the same cursor and nothing is lost or repeated.
        var outage = Backoff()
        let clock = ContinuousClock()
        // On SQLite, the files are looked at every fifth of the interval and a change is read at once.
        var probe: LogFollower.Probe<ContinuousClock>?
        if case .sqlite(let path) = try StoreLocation(options.store) {
            probe = LogFollower.Probe(interval: .seconds(interval / 5), changed: SQLiteChangeProbe(path: path).changed)
        }
        while !StopSignals.stop {
            do {
                try await follower.run(reader, clock: clock, interval: .seconds(interval), probe: probe, now: { .now() },
                                       deliver: { delivery in
                                           if outage.failures > 0 {
                                               Output.note("reconnected to \(reader.info.location) after \(outage.failures) failed attempt\(outage.failures == 1 ? "" : "s")")
                                               outage = Backoff()
                                           }
                                           for (event, late) in delivery.events { try print(event, late: late) }
                                       },
                                       stop: { StopSignals.stop })
            } catch let error as StoreError where Self.isTransient(error) {
                let delay = outage.next()
                Output.note("reconnecting… (\(error.description); retrying in \(String(format: "%.1f", delay)) s)")
                try await clock.sleep(for: .seconds(delay))
            }
        }
    }

    /// Errors that a later poll may not meet: the server or the connection went away.
    static func isTransient(_ error: StoreError) -> Bool {
        if case .unreachable = error { return true }
        return false
    }

    /// Waits that double from 0.1 s up to 5 s while the store stays unreachable.
    struct Backoff {
        var failures = 0
        mutating func next() -> Double {
            failures += 1
            return min(5, 0.1 * Double(1 << min(failures - 1, 6)))
        }
    }

    func print(_ event: RecordedEvent, late: Bool) throws(OutputClosed) {
        if options.json {
            var line = JSONBytes(capacity: 1024)
            event.appendJSON(to: &line)
            if late {
                line.bytes.removeLast()  // the object's closing brace: `late` is its last member
                line.append(raw: #","late":true}"#)
            }
            line.append(0x0A)
            let failed = line.bytes.withUnsafeBytes { Output.writeAll(STDOUT_FILENO, $0) }
            if failed != 0 { throw OutputClosed(code: failed) }
            return
        }
        let p = event.problems
        let fields = (event.hasGlobalPosition ? [p.shown("global_position", String(event.globalPosition))] : []) + [event.timestamp.shown, p.shown("event_type", event.eventType),
                      p.shown("stream_id", event.streamId) + (event.isHidden ? " (deleted)" : "")]
        try Output.line(fields.map(Sanitizer.line).joined(separator: "  ") + (late ? "  (late)" : ""))
    }
}
