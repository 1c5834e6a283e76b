import ArgumentParser
import EventStore
import TerminalText

struct Head: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the head: the highest global position and its event.")

    @OptionGroup var options: StoreOptions

    func run() async throws {
        let reader = try await options.open()
        let head = try await reader.head()
        let event = head >= 0 ? try await reader.event(at: head) : nil
        if options.json {
            let headEvent: JSONValue = event.map {
                .record([.init("global_position", .int($0.globalPosition)), .init("stream_id", .string($0.streamId)),
                         .init("event_type", .string($0.eventType)), .init("timestamp", .string($0.timestamp.text)),
                         .init("hidden", .bool($0.isHidden))],
                        problems: $0.problems.filter { ["global_position", "stream_id", "event_type"].contains($0.field) },
                        times: [("timestamp", $0.timestamp)])
            } ?? .null
            try Output.line(JSONValue.object(["store": .string(reader.info.location), "layout": .string(reader.info.layout.rawValue),
                                              "head": .int(head), "head_event": headEvent]).pretty)
            return
        }
        var table = TextTable([.init("FIELD"), .init("VALUE")])
        table.append(["store", reader.info.location])
        table.append(["layout", reader.info.layout.rawValue])
        table.append(["head", head < 0 ? "-1 (empty store)" : String(head)])
        if let event {
            table.append(["head event", "\(event.eventType) on \(event.streamId)" + (event.isHidden ? " (deleted stream)" : "")])
            table.append(["committed", event.timestamp.shown])
        }
        try Output.write(table.render())
    }
}
