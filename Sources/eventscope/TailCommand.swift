import ArgumentParser
import EventStore
import Foundation
import TerminalText

struct Tail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Follow the head of the log and print each new event as it commits.",
        discussion: """
            Prints visible events in global order (one JSON object per line with --json) within half a second
            of their commit. A position skipped and filled later by a slow writer (possible on PostgreSQL) is
            printed when it appears, marked late, for --gap-timeout seconds. Ends on Ctrl-C or a closed pipe.
            """)

    @OptionGroup var options: StoreOptions

    @Option(help: "Start at this global position (inclusive) instead of after the current head.")
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
        if let from, from < 0 { throw ValidationError("--from must be a global position (0 or more)") }
    }

    func run() async throws {
        StopSignals.install()
        let reader = try await options.open()
        let head = try await reader.head()
        if let from, from > head + 1 { throw StoreError.positionOutOfRange(from, head: head) }
        var follower = LogFollower(cursor: from.map { $0 - 1 } ?? head, types: Set(types), includeHidden: includeDeleted,
                                   gapTimeout: gapTimeout)
        Output.note("following \(reader.info.location) after position \(follower.cursor) (Ctrl-C to stop)")
        while !StopSignals.stop {
            let (events, more) = try await follower.poll(reader)
            for (event, late) in events { try print(event, late: late) }
            if !more { try await Task.sleep(for: .seconds(interval)) }
        }
    }

    func print(_ event: RecordedEvent, late: Bool) throws(OutputClosed) {
        if options.json {
            guard late, case .object(var members) = event.json else { return try Output.line(event.json.compact) }
            members.append(.init("late", .bool(true)))
            return try Output.line(JSONValue.object(members).compact)
        }
        let fields = [String(event.globalPosition), event.timestamp, event.eventType, event.streamId + (event.isHidden ? " (deleted)" : "")]
        try Output.line(fields.map(Sanitizer.line).joined(separator: "  ") + (late ? "  (late)" : ""))
    }
}

/// Walks the log forwards from a cursor, remembering recently skipped positions so that an event
/// committed late into one is still delivered: in order when possible, never twice, never lost.
struct LogFollower {
    var cursor: GlobalPosition
    let types: Set<String>
    let includeHidden: Bool
    let gapTimeout: Double
    var open: [(range: ClosedRange<GlobalPosition>, seen: Timestamp)] = []
    var delivered: Set<GlobalPosition> = []
    static let page = 1000

    init(cursor: GlobalPosition, types: Set<String>, includeHidden: Bool, gapTimeout: Double) {
        self.cursor = cursor
        self.types = types
        self.includeHidden = includeHidden
        self.gapTimeout = gapTimeout
    }

    /// New events (with whether each is late), and whether a full page suggests more are waiting.
    mutating func poll(_ reader: any StoreReader) async throws -> ([(RecordedEvent, Bool)], Bool) {
        let now = Timestamp.now()
        var out: [(RecordedEvent, Bool)] = []
        // Late fills first: they are older than anything new.
        open.removeAll { now.seconds(since: $0.seen) > gapTimeout }
        delivered = delivered.filter { p in open.contains { $0.range.contains(p) } }
        // Holes are found in the unfiltered log (hidden events included, so they are no holes);
        // the type filter and the hidden filter only decide what is printed.
        func wanted(_ event: RecordedEvent) -> Bool {
            (types.isEmpty || types.contains(event.eventType)) && (includeHidden || !event.isHidden)
        }
        for gap in open {
            let found = try await reader.log(LogQuery(anchor: .after(gap.range.lowerBound - 1), limit: Int(min(gap.range.count, Self.page)),
                                                      includeHidden: true))
            for event in found where gap.range.contains(event.globalPosition) && !delivered.contains(event.globalPosition) {
                delivered.insert(event.globalPosition)
                if wanted(event) { out.append((event, true)) }
            }
        }
        let batch = try await reader.log(LogQuery(anchor: .after(cursor), limit: Self.page, includeHidden: true))
        for event in batch {
            if event.globalPosition > cursor + 1, open.count < 1000 {
                open.append((cursor + 1...event.globalPosition - 1, now))
            }
            cursor = event.globalPosition
            if wanted(event) { out.append((event, false)) }
        }
        return (out, batch.count == Self.page)
    }
}
