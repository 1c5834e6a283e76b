import Foundation
import TestSupport
import Testing

/// `c` on a real SQLite store (the demo's): a causation id that names an event of the store
/// shows that event, read through the adapter's `event(id:)`; a command's id, which names no
/// event, says so. Run through `snapshot`, the headless explorer over the real adapter.
@Suite struct CausationCLITests {
    struct Row {
        let position: Int
        let eventId: String
        let causation: String?
    }

    /// The first events of the demo's log with their event and causation ids.
    static func rows() async throws -> [Row] {
        let result = try await runEventscope(["events", DemoFixture.standard.path, "--json", "--limit", "300"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let events = try #require(object["events"] as? [[String: Any]])
        return events.compactMap { event in
            guard let position = event["global_position"] as? Int, let id = event["event_id"] as? String else { return nil }
            let metadata = event["metadata"] as? [String: Any]
            return Row(position: position, eventId: id, causation: metadata?["causation_id"] as? String)
        }
    }

    static func snapshot(at position: Int, keys: String) async throws -> String {
        let result = try await runEventscope(["snapshot", DemoFixture.standard.path, "--size", "120x30",
                                              "--keys", ": text:pos Space text:\(position) Enter Enter " + keys])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    @Test func cShowsTheCausingEventOrSaysItIsNotInTheStore() async throws {
        let rows = try await Self.rows()
        let ids = Dictionary(rows.map { ($0.eventId, $0.position) }, uniquingKeysWith: { a, _ in a })
        let caused = try #require(rows.first { $0.causation.map { ids[$0] != nil } ?? false }, "no event in the first 300 names another")
        let cause = try #require(ids[caused.causation!])
        let screen = try await Self.snapshot(at: caused.position, keys: "c")
        #expect(screen.contains("the event that caused it:"), "\(screen)")
        #expect(screen.contains("global \(cause) "), "the cause, global position \(cause), is not shown:\n\(screen)")

        let command = try #require(rows.first { $0.causation?.hasPrefix("cmd-") == true })
        let refused = try await Self.snapshot(at: command.position, keys: "c")
        #expect(refused.contains("causation id \(command.causation!) is not in this store"), "\(refused)")
        #expect(refused.contains("global \(command.position) "), "\(refused)")
    }
}
