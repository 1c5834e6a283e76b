import EventStore
import TerminalText

/// The Detail pane's text for an event: its facts, then data and metadata as coloured JSON,
/// or the stored text as-is in the raw view. Built once per event and view (the JSON of a
/// large payload is parsed here, not on every frame); only the age on the time line follows `now`.
public struct DetailContent: Sendable {
    public let event: RecordedEvent?
    public let raw: Bool
    private let lines: [StyledLine]
    /// Which line shows the event's time, and the time, so its age can be written per frame.
    private let timeLine: Int?
    private let time: Timestamp?
    /// The widest line in cells (the time line aside, whose age changes).
    private let widestLine: Int

    public init(event: RecordedEvent?, raw: Bool) {
        self.event = event
        self.raw = raw
        guard let event else {
            lines = [[Span("No event selected: press Enter on an event.", Style(.muted))]]
            timeLine = nil
            time = nil
            widestLine = 0
            return
        }
        let label = Style(.muted)
        var out: [StyledLine] = []
        let problems = event.problems
        out.append([.field("stream_id", of: problems, event.streamId, Style(.title, bold: true)), Span(" #", Style(.title, bold: true)),
                    .field("position", of: problems, String(event.position), Style(.title, bold: true))]
                   + (event.hasGlobalPosition ? [Span("  global ", label), .field("global_position", of: problems, String(event.globalPosition), label)] : []))
        out.append(Self.fact("type", .field("event_type", of: problems, event.eventType, .plain)))
        timeLine = out.count
        time = event.timestamp.timestamp
        out.append(Self.fact("time", .time(event.timestamp, event.timestamp.shown, .plain)))
        out.append(Self.fact("event id", .field("event_id", of: problems, event.eventId, .plain)))
        out.append(Self.fact("schema version", .field("schema_version", of: problems, String(event.schemaVersion), .plain)))
        // Layouts without idempotency keys leave it empty: only a value, or a broken one, is worth a line.
        if !event.idempotencyKey.isEmpty || problems.problem("idempotency_key") != nil {
            out.append(Self.fact("idempotency key", .field("idempotency_key", of: problems, event.idempotencyKey, .plain)))
        }
        // What the layout records beside the common facts (eventsource-py's tenant and actor ids).
        for field in event.fields { out.append(Self.fact(field.name.replacingOccurrences(of: "_", with: " "), field.value)) }
        // Every value the store holds that is not of its column's type, said once, in words.
        var broken = problems
        if case .unreadable(let raw) = event.timestamp { broken.append(ValueProblem(field: "timestamp", stored: raw, reason: "not a time")) }
        for problem in broken {
            out.append(Self.fact(ValueProblem.marker + " broken", Span("\(problem.field): \(problem.reason) (stored '\(problem.stored)')", Style(.error))))
        }
        let envelope = event.envelope
        out.append(Self.fact("correlation id", envelope?.correlationId ?? "—"))
        out.append(Self.fact("causation id", envelope?.causationId ?? "—"))
        if event.isHidden {
            out.append(Self.fact("hidden", "its stream is deleted: projections never see this event", Style(.warning)))
        }
        for (name, text) in [("data", event.data), ("metadata", event.metadata)] {
            out.append([])
            if raw {
                out.append([Span(name + " (raw, as stored)", Style(.title, bold: true))])
                out += Self.textLines(text).map { [Span($0)] }
                continue
            }
            out.append([Span(name, Style(.title, bold: true))])
            switch JSONValue.parsed(text) {
            case .success(let value):
                out += JSONHighlighter.lines(value)
            case .failure(let error):
                out.append([Span("not valid JSON (\(error.description)):", Style(.warning))])
                out += Self.textLines(text).map { [Span($0)] }
            }
        }
        lines = out
        widestLine = out.map(Self.width).max() ?? 0
    }

    static func width(_ line: StyledLine) -> Int { line.reduce(0) { $0 + DisplayWidth.of(Sanitizer.line($1.text)) } }

    /// The widest line as it reads at `now`, in cells: how far the text scrolls across.
    public func widest(now: Timestamp) -> Int {
        guard let timeLine else { return widestLine }
        return max(widestLine, Self.width(line(timeLine, now: now)))
    }

    public var count: Int { lines.count }

    /// Line `index` as it reads at `now`; the time is also given in `zone` when that is not UTC.
    public func line(_ index: Int, now: Timestamp, zone: ClockZone = .utc) -> StyledLine {
        guard index == timeLine, let event else { return lines[index] }
        var text = event.timestamp.shown
        if let time, zone != .utc { text += " · " + zone.clock(time) + " " + zone.name }
        if let time { text += " (" + formatAge(seconds: now.seconds(since: time)) + " ago)" }
        return Self.fact("time", .time(event.timestamp, text, .plain))
    }

    /// Every line as it reads at `now`.
    public func lines(now: Timestamp) -> [StyledLine] { lines.indices.map { line($0, now: now) } }

    public static func lines(for event: RecordedEvent?, raw: Bool, now: Timestamp) -> [StyledLine] {
        DetailContent(event: event, raw: raw).lines(now: now)
    }

    private static func fact(_ name: String, _ value: String, _ style: Style = .plain) -> StyledLine {
        fact(name, Span(value, style))
    }

    private static func fact(_ name: String, _ value: Span) -> StyledLine {
        [Span(name + String(repeating: " ", count: max(0, 16 - name.count)), Style(.muted)), value]
    }

    /// Grid.put sanitises each line; here only the line breaks matter.
    private static func textLines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}

/// The content is derived from the event and the view, so those alone decide equality (and a
/// state compare never walks the lines of a large payload).
extension DetailContent: Hashable {
    public static func == (a: DetailContent, b: DetailContent) -> Bool { a.event == b.event && a.raw == b.raw }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(event)
        hasher.combine(raw)
    }
}
