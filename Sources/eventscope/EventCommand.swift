import ArgumentParser
import EventStore
import TerminalText

struct EventCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "event", abstract: "Show one event in full, by global position or by event id.",
        discussion: "A store whose layout has no global positions (minimal) finds its events by id: --id ID.")

    @OptionGroup var options: StoreOptions

    @Argument(help: "The event's global position.")
    var position: Int64?

    @Option(help: "The event's id instead of its position.")
    var id: String?

    func validate() throws {
        if position == nil, id == nil { throw ValidationError("give the event's global position, or --id ID") }
        if position != nil, id != nil { throw ValidationError("a position and --id exclude each other") }
    }

    func run() async throws {
        let reader = try await options.open()
        if let id {
            guard let event = try await reader.event(id: id) else { throw StoreError.badArgument("no event with id \(id.debugDescription)") }
            return try show(event)
        }
        guard let position else { return }
        if let lacking = reader.info.lacking(.globalPositions) {
            throw StoreError.badArgument("\(lacking): find the event by its id (--id ID, as `events --stream S` lists them)")
        }
        guard let event = try await reader.event(at: position) else {
            let head = try await reader.head()
            if position < 0 || position > head { throw StoreError.positionOutOfRange(position, head: head) }
            throw StoreError.noEventAt(position, head: head, gap: .missing)
        }
        try show(event)
    }

    func show(_ event: RecordedEvent) throws {
        if options.json {
            try Output.line(event.json.pretty)
            return
        }
        var table = TextTable([.init("FIELD"), .init("VALUE")])
        let p = event.problems
        if event.hasGlobalPosition { table.append(["global position", p.shown("global_position", String(event.globalPosition))]) }
        table.append(["stream", p.shown("stream_id", event.streamId) + (event.isHidden ? "  (deleted: invisible to projections)" : "")])
        table.append(["stream position", p.shown("position", String(event.position))])
        table.append(["type", p.shown("event_type", event.eventType)])
        table.append(["event id", p.shown("event_id", event.eventId)])
        table.append(["timestamp", event.timestamp.shown])
        table.append(["schema version", p.shown("schema_version", String(event.schemaVersion))])
        if !event.idempotencyKey.isEmpty || p.problem("idempotency_key") != nil {
            table.append(["idempotency key", p.shown("idempotency_key", event.idempotencyKey)])
        }
        for field in event.fields { table.append([field.name.replacingOccurrences(of: "_", with: " "), field.value]) }
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
