import ArgumentParser
import EventStore
import TerminalText

struct DeadLetters: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead-letters",
        abstract: "List dead letters: events a projection failed on and set aside, with the error and retries.",
        discussion: """
            Stores whose layout keeps dead letters (eventsource-py's dead_letter_queue) list them in id order; \
            others say they have none (with --json, "supported": false). `eventscope event STORE POS` shows \
            the original event: the EVENT column gives its global position when the store still holds it.
            """)

    @OptionGroup var options: StoreOptions

    @Option(help: "Only dead letters of this projection.")
    var projection: String?

    @Option(help: "Only dead letters with this status (failed, retrying, resolved).")
    var status: String?

    @Option(help: "Start after this dead letter id (the last id of the previous page).")
    var after: Int64?

    @Option(help: "How many dead letters (1–10000).")
    var limit = 100

    func validate() throws {
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
    }

    func run() async throws {
        let reader = try await options.open()
        let query = DeadLetterQuery(projection: projection, status: status, after: after, limit: limit)
        guard let letters = try await reader.deadLetters(query) else {
            if options.json { try Output.line(reader.info.unsupportedJSON(.deadLetters).pretty) } else {
                Output.note(reader.info.lacking(.deadLetters) ?? "this store has no dead letters table")
            }
            return
        }
        // Where each original event sits in the log now (nil: the store no longer holds it).
        var positions: [GlobalPosition?] = []
        for letter in letters { positions.append(try await reader.event(id: letter.eventId)?.globalPosition) }
        let next = letters.count == limit ? letters.last.map { PageCursor("after", $0.id) } : nil
        if options.json {
            let items = zip(letters, positions).map { letter, position -> JSONValue in
                guard case .object(var members) = letter.json else { return letter.json }
                let at = members.firstIndex { $0.key == "event_type" } ?? members.count
                members.insert(.init("global_position", position.map { .int($0) } ?? .null), at: at)
                return .object(members)
            }
            try Output.line(JSONValue.object(["supported": .bool(true), "dead_letters": .array(items), "next": next?.json ?? .null]).pretty)
            if let next { Output.note(next.note) }
            return
        }
        var table = TextTable([.init("ID", .right), .init("PROJECTION"), .init("EVENT", .right), .init("TYPE"), .init("STATUS"),
                               .init("RETRIES", .right), .init("FIRST FAILED"), .init("LAST FAILED"), .init("ERROR")])
        for (letter, position) in zip(letters, positions) {
            let p = letter.problems
            table.append([String(letter.id), p.shown("projection", letter.projectionName), position.map(String.init) ?? "gone",
                          p.shown("event_type", letter.eventType), p.shown("status", letter.status),
                          p.shown("retry_count", String(letter.retryCount)), letter.firstFailedAt.shown, letter.lastFailedAt.shown,
                          p.shown("error_message", letter.errorMessage)])
        }
        try Output.write(table.render())
        if let next { Output.note(next.note) } else if letters.isEmpty { Output.note("no dead letters" + (projection == nil && status == nil ? "" : " match")) }
    }
}
