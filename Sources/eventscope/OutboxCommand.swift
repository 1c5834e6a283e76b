import ArgumentParser
import EventStore
import TerminalText

struct Outbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the outbox: rows pending, published and failed, and how long the oldest pending row has waited.",
        discussion: """
            Stores whose layout has a transactional outbox (eventsource-py's event_outbox) are counted by status; \
            the age is judged by the database's clock. Others say they have none (with --json, "supported": false).
            """)

    @OptionGroup var options: StoreOptions

    func run() async throws {
        let reader = try await options.open()
        guard let summary = try await reader.outboxSummary() else {
            if options.json { try Output.line(reader.info.unsupportedJSON(.outbox).pretty) } else {
                Output.note(reader.info.lacking(.outbox) ?? "this store has no outbox table")
            }
            return
        }
        if options.json {
            guard case .object(let members) = summary.json else { return }
            try Output.line(JSONValue.object([.init("supported", .bool(true))] + members).pretty)
            return
        }
        var table = TextTable([.init("STATUS"), .init("ROWS", .right)])
        table.append(["pending", String(summary.pending)])
        table.append(["published", String(summary.published)])
        table.append(["failed", String(summary.failed)])
        try Output.write(table.render())
        if let age = summary.oldestPendingAge {
            Output.note("oldest pending row: \(summary.oldestPendingAt?.shown ?? "") (\(formatAge(seconds: age)) ago by the database's clock)")
        } else if let at = summary.oldestPendingAt {
            Output.note("oldest pending row: \(at.shown)")
        }
    }
}
