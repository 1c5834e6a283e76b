import ArgumentParser
import EventStore
import Foundation
import Synchronization
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

    @Flag(help: "One compact JSON event a line, streamed: any range, no limit unless --limit.")
    var ndjson = false

    @Option(help: "How many events (default 50; 1–10000 for the table, any number with --json or --ndjson).")
    var limit: Int?

    /// How many events to list; --ndjson lists the whole range unless told.
    var count: Int { limit ?? (ndjson ? .max : 50) }

    /// The page size of the bulk forms: large enough that a page costs little, small enough to keep memory flat.
    static let bulkPage = 5_000

    func validate() throws {
        if after != nil, before != nil { throw ValidationError("--after and --before exclude each other") }
        if ndjson, options.json { throw ValidationError("--ndjson and --json exclude each other") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let limit, limit > 10_000, !ndjson, !options.json {
            throw ValidationError("--limit must be between 1 and 10000 for the table (--json and --ndjson take more)")
        }
        if let after, after < -1 || after == .max { throw ValidationError("--after \(after) is not a position") }
        if let before, before < 0 { throw ValidationError("--before \(before) is not a position") }
    }

    func run() async throws {
        let reader = try await options.open()
        if stream == nil {
            let head = try await reader.head()
            if let after, after < -1 || after > head { throw StoreError.positionOutOfRange(after, head: head) }
            if let before, before < 0 || before > head + 1 { throw StoreError.positionOutOfRange(before, head: head) }
        }
        if ndjson || options.json { return try await bulk(reader) }
        let events = try await page(reader, from: nil, limit: count)
        // A layout without global positions pages by its own order key, which `more:` gives but no column shows.
        let positioned = reader.info.capabilities.contains(.globalPositions)
        var table = TextTable((positioned ? [.init("GLOBAL", .right)] : []) + [.init("POS", .right), .init("TYPE"), .init("TIME"), .init("STREAM")])
        for e in events {
            let p = e.problems
            table.append((positioned ? [p.shown("global_position", String(e.globalPosition))] : []) + [p.shown("position", String(e.position)),
                          p.shown("event_type", e.eventType), e.timestamp.shown,
                          p.shown("stream_id", e.streamId) + (e.isHidden ? " (deleted)" : "")])
        }
        try Output.write(table.render())
        if events.count == count, let next = nextPage(after: events.last) { Output.note(next.note) }
    }

    /// Where the page after a full one ends with `last` starts.
    func nextPage(after last: RecordedEvent?) -> PageCursor? {
        last.map { PageCursor(before == nil ? "after" : "before", stream == nil ? $0.globalPosition : $0.position) }
    }

    /// `--json` (`{"events": [...], "next": {"after": N} or null}`, pretty) and `--ndjson` (a line per
    /// event), paged internally and written as they are read: memory stays flat however many events
    /// the range holds. The bytes are those `JSONValue.pretty` would print for the whole page. A
    /// reader that streams the log (a server's) hands the global log over as it arrives.
    func bulk(_ reader: any StoreReader) async throws {
        var out = OutputBuffer()
        var written = 0
        var last: RecordedEvent?
        if options.json {
            out.json.append(raw: "{")
            out.json.newline(level: 1)
            out.json.append(raw: "\"events\": [")
        }
        func emit(_ event: RecordedEvent) throws(OutputClosed) {
            try Self.append(event, to: &out, index: written, ndjson: ndjson)
            written += 1
        }
        if stream == nil, let streaming = reader as? any LogStreamingReader {
            // Read here, written by `BulkWriter` a few batches behind.
            let writer = BulkWriter(out: out, ndjson: ndjson)
            var batch: [RecordedEvent] = []
            var handed = 0
            var failure: (any Error)?
            do {
                try await streaming.streamLog(logQuery(from: nil, limit: count)) { event in
                    batch.append(event)
                    handed += 1
                    if handed == count { last = event }  // the only event `next` may name
                    if batch.count == BulkWriter.batchSize {
                        writer.send(batch)
                        batch = []
                    }
                    return !StopSignals.stop && !writer.closed
                }
            } catch {
                failure = error
            }
            writer.send(batch)
            (out, written) = try writer.finish()
            if let failure {
                // What was read before the failure is written whole before the error is said.
                try out.flush()
                throw failure
            }
        } else {
            while written < count {
                let requested = min(count - written, Self.bulkPage)
                let events = try await page(reader, from: last, limit: requested)
                for event in events { try emit(event) }
                last = events.last ?? last
                if events.count < requested || StopSignals.stop { break }
            }
        }
        let next = written == count ? nextPage(after: last) : nil
        if options.json {
            if written > 0 { out.json.newline(level: 1) }
            out.json.append(raw: "],")
            out.json.newline(level: 1)
            out.json.append(raw: "\"next\": ")
            out.json.append(next?.json ?? .null, pretty: true, level: 1)
            out.json.newline(level: 0)
            out.json.append(raw: "}\n")
        }
        try out.flush()
        if let next { Output.note(next.note) }
    }

    /// The event at `index` (0-based) of the `--ndjson` lines or the `--json` array.
    static func append(_ event: RecordedEvent, to out: inout OutputBuffer, index: Int, ndjson: Bool) throws(OutputClosed) {
        if ndjson {
            event.appendJSON(to: &out.json)
            out.json.append(0x0A)
        } else {
            if index > 0 { out.json.append(UInt8(ascii: ",")) }
            out.json.newline(level: 2)
            event.appendJSON(to: &out.json, level: 2)
        }
        try out.flushIfFull()
    }

    /// One page after `last` (the first page when nil), in the direction the options ask for.
    func page(_ reader: any StoreReader, from last: RecordedEvent?, limit: Int) async throws -> [RecordedEvent] {
        if let stream {
            return try await streamEvents(reader, stream, from: last, limit: limit)
        }
        return try await reader.log(logQuery(from: last, limit: limit))
    }

    /// The global log's page after `last` (the first page when nil).
    func logQuery(from last: RecordedEvent?, limit: Int) -> LogQuery {
        let anchor: LogQuery.Anchor
        if let last {
            anchor = before == nil ? .after(last.cursor) : .before(last.cursor)
        } else {
            anchor = before.map { .before(.position($0)) } ?? .after(.position(after ?? -1))
        }
        return LogQuery(anchor: anchor, limit: limit, eventTypes: Set(types), includeHidden: includeDeleted)
    }

    func streamEvents(_ reader: any StoreReader, _ id: String, from last: RecordedEvent?, limit: Int) async throws -> [RecordedEvent] {
        let next = last.map { before == nil ? $0.position + 1 : $0.position - 1 }
        let query = StreamEventsQuery(streamId: id, from: next ?? before.map { $0 - 1 } ?? after.map { $0 + 1 },
                                      direction: before == nil ? .forwards : .backwards, limit: limit, eventTypes: Set(types))
        let events = try await reader.streamEvents(query)
        if last == nil, events.isEmpty, try await reader.stream(id: id) == nil {
            let candidates = try await reader.streams(StreamQuery(filter: .prefix(StreamSummary.category(of: id)), limit: 5))
            throw StoreError.unknownStream(id, suggestions: candidates.map { Sanitizer.line($0.id) })
        }
        return events
    }
}

/// Encodes and writes `bulk`'s events on a queue of its own, a few batches behind the read: a
/// streamed log is then decoded on one core while the events before it are written on another.
/// At most `inFlight` batches wait (the reader waits for a slot), so memory stays flat.
final class BulkWriter: @unchecked Sendable {
    static let batchSize = 512
    static let inFlight = 4

    let ndjson: Bool
    private let queue = DispatchQueue(label: "eventscope.events.writer")
    private let slots = DispatchSemaphore(value: BulkWriter.inFlight)
    /// Touched on `queue` only, until `finish()` has waited for it.
    private var out: OutputBuffer
    private var written = 0
    /// The `errno` of the write that failed; 0 while none has.
    private let writeFailure = Atomic<Int32>(0)

    init(out: OutputBuffer, ndjson: Bool) {
        self.out = out
        self.ndjson = ndjson
    }

    /// Whether standard output took no more: nothing more will be written.
    var closed: Bool { writeFailure.load(ordering: .relaxed) != 0 }

    func send(_ batch: [RecordedEvent]) {
        guard !batch.isEmpty else { return }
        slots.wait()
        queue.async { [self] in
            defer { slots.signal() }
            guard !closed else { return }
            do throws(OutputClosed) {
                for event in batch {
                    try Events.append(event, to: &out, index: written, ndjson: ndjson)
                    written += 1
                }
            } catch {
                writeFailure.store(error.code, ordering: .relaxed)
            }
        }
    }

    /// Waits for every batch sent: the buffer (maybe not yet flushed) and how many events it took.
    func finish() throws(OutputClosed) -> (OutputBuffer, Int) {
        queue.sync {}
        let failed = writeFailure.load(ordering: .relaxed)
        if failed != 0 { throw OutputClosed(code: failed) }
        return (out, written)
    }
}
