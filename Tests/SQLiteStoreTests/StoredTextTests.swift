import EventStore
import Foundation
import GRDB
import SQLiteStore
import TestSupport
import Testing

/// Text is read as the store holds it: NUL bytes kept, bytes that are not UTF-8 flagged and
/// escaped (`\xHH`), and a stream id that is not UTF-8 found again from its escaped form.
@Suite struct StoredTextTests {
    /// A store with one healthy stream, then `sql` run on it.
    static func store(_ directory: TemporaryDirectory, _ sql: String) throws -> SQLiteStoreReader {
        let path = directory.file("s.db")
        let builder = try WakuStoreBuilder(path: path)
        try builder.stream("Order-1", version: 0)
        try builder.event(1, stream: "Order-1", position: 0)
        try builder.close()
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: sql) }
        try queue.close()
        return try SQLiteStoreReader.open(path: path)
    }

    @Test func nulBytesAreKept() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let reader = try Self.store(directory, """
            UPDATE es_events SET event_type = 'Nul' || char(0) || 'Type', data = '{"a":"x' || char(0) || 'y"}',
              metadata = '{"correlation_id":"c' || char(0) || 'd","causation_id":null,"extra":{}}'
            """)
        let event = try #require(try await reader.event(at: 1))
        #expect(event.eventType == "Nul\u{0}Type")
        #expect(event.data == "{\"a\":\"x\u{0}y\"}")
        #expect(event.problems.isEmpty)
        // The JSON form keeps the NUL, escaped.
        #expect(event.json.compact.contains(#""event_type":"Nul\u0000Type""#))
    }

    @Test func aStreamIdThatIsNotUTF8IsListedEscapedAndFoundAgain() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        // "Order-\xff" as bytes, and the valid text `Order-\xff` (a literal backslash) beside it.
        let reader = try Self.store(directory, #"""
            INSERT INTO es_streams VALUES (CAST(x'4f726465722dff' AS TEXT), 'Order', 0, NULL, NULL, NULL);
            INSERT INTO es_events VALUES (2, 'ev-2', CAST(x'4f726465722dff' AS TEXT), 'Happened', 0, '{}', '{}', '2026-11-02T00:00:00Z', 1, 'i-2');
            INSERT INTO es_streams VALUES ('Order-\xff', 'Order', 0, NULL, NULL, NULL);
            INSERT INTO es_events VALUES (3, 'ev-3', 'Order-\xff', 'Happened', 0, '{}', '{}', '2026-11-02T00:00:00Z', 1, 'i-3');
            """#)
        let streams = try await reader.streams(StreamQuery())
        #expect(streams.map(\.id) == ["Order-1", #"Order-\\xff"#, #"Order-\xff"#])
        #expect(streams[2].problems.problem("stream_id")?.reason.contains("not valid UTF-8") == true)
        let invalid = #"Order-\xff"#, literal = #"Order-\\xff"#
        #expect(try await reader.stream(id: invalid)?.id == invalid)
        #expect(try await reader.streamEvents(StreamEventsQuery(streamId: invalid)).map(\.globalPosition) == [2])
        #expect(try await reader.streamEvents(StreamEventsQuery(streamId: literal)).map(\.globalPosition) == [3])
        #expect(try await reader.event(at: 2)?.streamId == invalid)
        // Keyset paging past either id.
        #expect(try await reader.streams(StreamQuery(after: literal)).map(\.id) == [invalid])
        #expect(try await reader.streams(StreamQuery(after: invalid)).map(\.id) == [])
    }

    @Test func payloadsThatAreNotUTF8AreFlagged() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let reader = try Self.store(directory, #"UPDATE es_events SET data = CAST(x'7b2261223a2280ff227d' AS TEXT)"#)
        let event = try #require(try await reader.event(at: 1))
        #expect(event.problems.problem("data")?.stored == #"{"a":"\x80\xff"}"#)
        let json = event.json.compact
        #expect(json.contains(#""data":"{\"a\":\"\\x80\\xff\"}","data_error":"text that is not valid UTF-8"#), "\(json)")
    }

    @Test func theEscapedFormNamesOneByteStringOnly() {
        let samples: [[UInt8]] = [Array("plain".utf8), [0x41, 0xFF, 0x42], Array(#"a\xff"#.utf8), Array(#"a\\b"#.utf8),
                                  [0x5C, 0xFF], Array("東京".utf8).dropLast(), [0xE2, 0x82, 0x41]]
        for bytes in samples {
            #expect(EscapedBytes.decode(EscapedBytes.display(bytes).text) == bytes, "\(bytes)")
        }
        #expect(EscapedBytes.display(Array("plain".utf8)).text == "plain")
        #expect(!EscapedBytes.display(Array("plain".utf8)).escaped)
        #expect(EscapedBytes.display([0x41, 0xFF]).text == #"A\xff"#)
        #expect(Set(samples.map { EscapedBytes.display($0).text }).count == samples.count)
    }
}
