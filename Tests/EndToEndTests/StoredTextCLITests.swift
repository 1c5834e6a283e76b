import Foundation
import GRDB
import TestSupport
import Testing

/// Text reaches the operator as stored: NUL bytes kept, a stream id that is not UTF-8 shown in
/// its escaped form and accepted back by `events --stream`, `:stream` and Enter.
@Suite struct StoredTextCLITests {
    static func store(_ directory: TemporaryDirectory) throws -> String {
        let path = directory.file("text.db")
        let builder = try WakuStoreBuilder(path: path)
        try builder.stream("Order-1", version: 0)
        try builder.event(1, stream: "Order-1", position: 0)
        try builder.close()
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: """
                UPDATE es_events SET event_type = 'Nul' || char(0) || 'Type';
                INSERT INTO es_streams VALUES (CAST(x'4f726465722dff' AS TEXT), 'Order', 0, NULL, NULL, NULL);
                INSERT INTO es_events VALUES (2, 'ev-2', CAST(x'4f726465722dff' AS TEXT), 'Happened', 0,
                  CAST(x'7b2261223a22ff227d' AS TEXT), '{}', '2026-11-02T00:00:00Z', 1, 'i-2');
                """)
        }
        try queue.close()
        return path
    }

    @Test func nulBytesAreKeptInJSONAndText() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try Self.store(directory)
        let json = try await runEventscope(["event", store, "1", "--json"])
        #expect(json.status == 0)
        #expect(json.stdout.contains(#""event_type": "Nul\u0000Type""#), "\(json.stdout)")
        let text = try await runEventscope(["events", store])
        #expect(text.stdout.contains(#"Nul\u0000Type"#), "\(text.stdout)")
    }

    @Test func aStreamIdThatIsNotUTF8RoundTrips() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try Self.store(directory)
        let streams = try await runEventscope(["streams", store, "--json"])
        #expect(streams.stdout.contains(#""stream_id": "Order-\\xff""#), "\(streams.stdout)")
        #expect(streams.stdout.contains(#""stream_id_error""#))
        let events = try await runEventscope(["events", store, "--stream", #"Order-\xff"#, "--json"])
        #expect(events.status == 0, "\(events.stderr)")
        #expect(events.stdout.contains(#""event_id": "ev-2""#), "\(events.stdout)")
        // The payload's invalid byte is flagged, not replaced silently.
        #expect(events.stdout.contains(#""data_error": "text that is not valid UTF-8"#), "\(events.stdout)")
        for keys in [#": text:stream Space text:Order-\xff Enter"#, "1 j Enter"] {
            let screen = try await runEventscope(["snapshot", store, "--size", "120x20", "--keys", keys])
            #expect(screen.status == 0, "\(screen.stderr)")
            #expect(screen.stdout.contains("Happened") && !screen.stdout.contains("no events"), "\(keys):\n\(screen.stdout)")
        }
    }
}
