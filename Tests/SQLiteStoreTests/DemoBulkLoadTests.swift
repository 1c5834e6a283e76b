@testable import DemoStore
import EventStore
import Foundation
import GRDB
import TestSupport
import Testing

/// The demo's fast creation changes how, never what: waku's schema exactly, sound indexes, the same ids.
@Suite struct DemoBulkLoadTests {
    /// `type, name, tbl_name, sql` of every schema row, in order (root pages differ by construction).
    static func schema(_ path: String) throws -> [[String?]] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' ORDER BY rowid")
                .map { [$0[0], $0[1], $0[2], $0[3]] }
        }
    }

    @Test func theSchemaIsWakusAndTheIndexesHoldEveryRow() throws {
        let store = DemoFixture.make(events: 3_000, seed: 3)
        let directory = TemporaryDirectory("eventscope-schema")
        defer {
            directory.remove()
            try? FileManager.default.removeItem(atPath: (store.path as NSString).deletingLastPathComponent)
        }
        let reference = try WakuStoreBuilder(path: directory.file("waku.db"))
        try reference.close()
        let demo = try Self.schema(store.path).filter { $0[1] != "ix_es_streams_deleted" }
        #expect(demo == (try Self.schema(directory.file("waku.db"))))
        let queue = try DatabaseQueue(path: store.path)
        defer { try? queue.close() }
        let (integrity, byStream, byType, journal) = try queue.read { db in
            (try String.fetchAll(db, sql: "PRAGMA integrity_check"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM es_events INDEXED BY sqlite_autoindex_es_events_2"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM es_events INDEXED BY ix_es_events_event_type"),
             try String.fetchOne(db, sql: "PRAGMA journal_mode"))
        }
        #expect(integrity == ["ok"])
        #expect(byStream == 3_000 && byType == 3_000)
        #expect(journal == "wal")
        // The unique constraints hold on the finished store.
        let duplicate = #"INSERT INTO es_events SELECT global_position + 100000, event_id, stream_id, event_type, position + 100000, data, metadata, timestamp, schema_version, idempotency_key || 'x' FROM es_events LIMIT 1"#
        #expect(throws: DatabaseError.self) { try queue.write { db in try db.execute(sql: duplicate) } }
    }

    @Test func idsAreWrittenAsBefore() {
        // The earlier, String-based forms.
        func oldHex(_ v: UInt64, _ width: Int) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        var a = SplitMix64(seed: 99), b = SplitMix64(seed: 99)
        for i in 0..<2_000 {
            let ms = Int64(i) * 7_919_993
            let r = b.next()
            let hi = (UInt64(ms) & 0xFFFF_FFFF_FFFF) << 16 | 0x7000 | (r & 0x0FFF)
            let lo = (b.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
            let h = oldHex(hi, 16), l = oldHex(lo, 16)
            #expect(a.uuid7(milliseconds: ms) == "\(h.prefix(8))-\(h.dropFirst(8).prefix(4))-\(h.suffix(4))-\(l.prefix(4))-\(l.suffix(12))")
            let digits = i % 14 + 1
            #expect(a.hexWord(digits) == oldHex(b.next(), 16).suffix(digits).description)
            let v = UInt64(i) * 0x9E37_79B9
            #expect(hex(v, 8) == oldHex(v, 8))
        }
    }
}
