import Foundation
import EventStore

/// The Detail pane's text for an event: its facts, then data and metadata as coloured JSON,
/// or the stored text as-is in the raw view.
public enum DetailContent {
    public static func lines(for event: RecordedEvent?, raw: Bool, now: Timestamp) -> [StyledLine] {
        guard let event else { return [[Span("No event selected: press Enter on an event.", Style(.muted))]] }
        let label = Style(.muted)
        func fact(_ name: String, _ value: String, _ style: Style = .plain) -> StyledLine {
            [Span(name.padding(toLength: 16, withPad: " ", startingAt: 0), label), Span(value, style)]
        }
        var out: [StyledLine] = []
        out.append([Span("\(event.streamId) #\(event.position)", Style(.title, bold: true)),
                    Span("  global \(event.globalPosition)", label)])
        out.append(fact("type", event.eventType))
        var time = event.timestamp.text
        if let t = event.timestamp.timestamp { time += " (" + formatAge(seconds: now.seconds(since: t)) + " ago)" }
        out.append(fact("time", time))
        out.append(fact("event id", event.eventId))
        out.append(fact("schema version", String(event.schemaVersion)))
        out.append(fact("idempotency key", event.idempotencyKey))
        let envelope = event.envelope
        out.append(fact("correlation id", envelope?.correlationId ?? "—"))
        out.append(fact("causation id", envelope?.causationId ?? "—"))
        if event.isHidden {
            out.append(fact("hidden", "its stream is deleted: projections never see this event", Style(.warning)))
        }
        for (name, text) in [("data", event.data), ("metadata", event.metadata)] {
            out.append([])
            if raw {
                out.append([Span(name + " (raw, as stored)", Style(.title, bold: true))])
                out += textLines(text).map { [Span($0)] }
                continue
            }
            out.append([Span(name, Style(.title, bold: true))])
            switch JSONValue.parsed(text) {
            case .success(let value):
                out += JSONHighlighter.lines(value)
            case .failure(let error):
                out.append([Span("not valid JSON (\(error.description)):", Style(.warning))])
                out += textLines(text).map { [Span($0)] }
            }
        }
        return out
    }

    /// Grid.put sanitises each line; here only the line breaks matter.
    private static func textLines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}
