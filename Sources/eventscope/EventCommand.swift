import ArgumentParser
import EventStore
import TerminalText

struct EventCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "event", abstract: "Show one event in full, by global position.")

    @OptionGroup var options: StoreOptions

    @Argument(help: "The event's global position.")
    var position: Int64

    func run() async throws {
        let reader = try await options.open()
        guard let event = try await reader.event(at: position) else {
            let head = try await reader.head()
            if position < 0 || position > head { throw StoreError.positionOutOfRange(position, head: head) }
            throw StoreError.noEventAt(position, head: head, gap: .missing)
        }
        if options.json {
            try Output.line(event.json.pretty)
            return
        }
        var table = TextTable([.init("FIELD"), .init("VALUE")])
        let p = event.problems
        table.append(["global position", p.shown("global_position", String(event.globalPosition))])
        table.append(["stream", p.shown("stream_id", event.streamId) + (event.isHidden ? "  (deleted: invisible to projections)" : "")])
        table.append(["stream position", p.shown("position", String(event.position))])
        table.append(["type", p.shown("event_type", event.eventType)])
        table.append(["event id", p.shown("event_id", event.eventId)])
        table.append(["timestamp", event.timestamp.shown])
        table.append(["schema version", p.shown("schema_version", String(event.schemaVersion))])
        table.append(["idempotency key", p.shown("idempotency_key", event.idempotencyKey)])
        if let envelope = event.envelope {
            table.append(["correlation id", envelope.correlationId ?? "–"])
            table.append(["causation id", envelope.causationId ?? "–"])
        }
        for problem in p { table.append(["broken value", ValueProblem.marker + " \(problem.field): \(problem.reason) (stored '\(problem.stored)')"]) }
        try Output.write(table.render())
        try Output.write(Self.section("data", event.data))
        try Output.write(Self.section("metadata", event.metadata))
    }

    /// A JSON payload pretty-printed in its stored key order, or as text with the reason it is not JSON.
    static func section(_ name: String, _ text: String) -> String {
        let body: [String]
        let title: String
        switch JSONValue.parsed(text) {
        case .success(let value):
            title = name
            body = Sanitizer.lines(value.pretty)
        case .failure(let error):
            title = "\(name) (not valid JSON: \(error); shown as text)"
            body = Sanitizer.lines(text)
        }
        return "\n\(title):\n" + body.map { "  " + $0 + "\n" }.joined()
    }
}
