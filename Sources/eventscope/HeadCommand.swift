import ArgumentParser
import EventStore
import TerminalText

struct Head: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the head: the highest global position and its event.")

    @OptionGroup var options: StoreOptions

    func run() async throws {
        let reader = try await options.open()
        let info = reader.info
        let positioned = info.capabilities.contains(.globalPositions)
        // Without global positions the head is the log's last event, found by the layout's own order.
        let head = try await reader.head()
        let event = head >= 0 ? try await (positioned ? reader.event(at: head) : reader.log(LogQuery(anchor: .before(.end), limit: 1)).first) : nil
        let outbox = info.capabilities.contains(.outbox) ? try await reader.outboxSummary() : nil
        // What the library's own readers cannot see yet (eventsource-py on PostgreSQL).
        let horizon = try await (reader as? any VisibilityHorizonReader)?.visibilityHorizon(cap: 1_000_000)
        if options.json {
            let headEvent: JSONValue = event.map {
                .record([.init("global_position", $0.hasGlobalPosition ? .int($0.globalPosition) : .null), .init("stream_id", .string($0.streamId)),
                         .init("event_type", .string($0.eventType)), .init("timestamp", .string($0.timestamp.text)),
                         .init("hidden", .bool($0.isHidden))],
                        problems: $0.problems.filter { ["global_position", "stream_id", "event_type"].contains($0.field) },
                        times: [("timestamp", $0.timestamp)])
            } ?? .null
            var members: [JSONValue.Member] = [.init("store", .string(info.location)), .init("layout", .string(info.layout.rawValue)),
                                               .init("head", positioned ? .int(head) : .null), .init("head_event", headEvent)]
            if let outbox { members.append(.init("outbox", outbox.json)) }
            if let horizon { members.append(.init("visibility_horizon", horizon.json)) }
            try Output.line(JSONValue.object(members).pretty)
            return
        }
        var table = TextTable([.init("FIELD"), .init("VALUE")])
        table.append(["store", info.location])
        table.append(["layout", info.layout.rawValue])
        if positioned {
            table.append(["head", head < 0 ? "-1 (empty store)" : String(head)])
        } else {
            table.append(["head", "– (" + (info.lacking(.globalPositions) ?? "") + ")" + (event == nil ? "; the store is empty" : "")])
        }
        if let event {
            table.append(["head event", "\(event.eventType) on \(event.streamId)" + (event.isHidden ? " (deleted stream)" : "")])
            table.append(["committed", event.timestamp.shown])
        }
        if let outbox {
            table.append(["outbox", "\(outbox.pending) pending, \(outbox.published) published, \(outbox.failed) failed"
                + (outbox.oldestPendingAge.map { "; oldest pending " + formatAge(seconds: $0) } ?? "")])
        }
        if let horizon { table.append(["visibility horizon", horizon.sentence]) }
        try Output.write(table.render())
    }
}
