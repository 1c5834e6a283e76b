import ArgumentParser
import EventStore
import TerminalText

struct Events: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List events: the global log, or one stream's events.",
        discussion: """
            On the global log, --after/--before take global positions and only visible events are listed \
            (those of deleted streams are what projections never see; --include-deleted shows them). \
            With --stream, --after/--before take stream positions (0-based versions).
            """)

    @OptionGroup var options: StoreOptions

    @Option(help: "One stream's events instead of the global log.")
    var stream: String?

    // Unconditional: a checkpoint of -1 is a position to paste, not an option.
    @Option(parsing: .unconditional, help: "Events after this position, ascending (default: from the start).")
    var after: Int64?

    @Option(parsing: .unconditional, help: "Events before this position, descending (nearest first).")
    var before: Int64?

    @Option(name: .customLong("type"), help: "Only events of this type (repeatable).")
    var types: [String] = []

    @Flag(help: "Include events of soft-deleted streams in the global log.")
    var includeDeleted = false

    @Option(help: "How many events (1–10000).")
    var limit = 50

    func validate() throws {
        if after != nil, before != nil { throw ValidationError("--after and --before exclude each other") }
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
        if let after, after < -1 || after == .max { throw ValidationError("--after \(after) is not a position") }
        if let before, before < 0 { throw ValidationError("--before \(before) is not a position") }
    }

    func run() async throws {
        let reader = try await options.open()
        let events: [RecordedEvent]
        if let stream {
            events = try await streamEvents(reader, stream)
        } else {
            let head = try await reader.head()
            if let after, after < -1 || after > head { throw StoreError.positionOutOfRange(after, head: head) }
            if let before, before < 0 || before > head + 1 { throw StoreError.positionOutOfRange(before, head: head) }
            let anchor: LogQuery.Anchor = before.map { .before(.position($0)) } ?? .after(.position(after ?? -1))
            events = try await reader.log(LogQuery(anchor: anchor, limit: limit, eventTypes: Set(types), includeHidden: includeDeleted))
        }
        if options.json {
            try printJSON(events)
            return
        }
        var table = TextTable([.init("GLOBAL", .right), .init("POS", .right), .init("TYPE"), .init("TIME"), .init("STREAM")])
        for e in events {
            let p = e.problems
            table.append([p.shown("global_position", String(e.globalPosition)), p.shown("position", String(e.position)),
                          p.shown("event_type", e.eventType), e.timestamp.shown,
                          p.shown("stream_id", e.streamId) + (e.isHidden ? " (deleted)" : "")])
        }
        try Output.write(table.render())
        if let next = nextPage(after: events) { Output.note(next.note) }
    }

    /// Where the next page starts, when this one is full.
    func nextPage(after events: [RecordedEvent]) -> PageCursor? {
        guard events.count == limit, let last = events.last else { return nil }
        return PageCursor(before == nil ? "after" : "before", stream == nil ? last.globalPosition : last.position)
    }

    /// `{"events": [...], "next": {"after": N} or null}`, and the cursor on standard error as in text.
    func printJSON(_ events: [RecordedEvent]) throws(OutputClosed) {
        let next = nextPage(after: events)
        try Output.line(PageCursor.page("events", events.map(\.json), next: next).pretty)
        if let next { Output.note(next.note) }
    }

    func streamEvents(_ reader: any StoreReader, _ id: String) async throws -> [RecordedEvent] {
        let query = StreamEventsQuery(streamId: id, from: before.map { $0 - 1 } ?? after.map { $0 + 1 },
                                      direction: before == nil ? .forwards : .backwards, limit: limit, eventTypes: Set(types))
        let events = try await reader.streamEvents(query)
        if events.isEmpty, try await reader.stream(id: id) == nil {
            let candidates = try await reader.streams(StreamQuery(filter: .prefix(StreamSummary.category(of: id)), limit: 5))
            throw StoreError.unknownStream(id, suggestions: candidates.map { Sanitizer.line($0.id) })
        }
        return events
    }
}
