import EventStore
import Foundation
import SQLiteStore
import TestSupport
import Testing

/// `tail`'s cheap look at a SQLite store: every commit is a change, a look with no write between is none.
@Suite struct ChangeProbeTests {
    @Test(arguments: [true, false])
    func everyCommitIsSeenAndNothingElse(wal: Bool) async throws {
        let directory = TemporaryDirectory("eventscope-probe")
        defer { directory.remove() }
        let store = try WakuStoreBuilder(path: directory.file("store.db"), wal: wal)
        defer { try? store.close() }
        try store.stream("S-1", version: 99)
        let probe = SQLiteChangeProbe(path: store.path)
        #expect(probe.changed())
        for position in 0..<50 {
            #expect(!probe.changed())
            try store.event(GlobalPosition(position), stream: "S-1", position: Int64(position))
            #expect(probe.changed())
        }
        // A reader's queries are no change.
        let reader = try SQLiteStoreReader.open(path: store.path)
        _ = try await reader.head()
        _ = probe.changed()
        for _ in 0..<5 { _ = try await reader.events(in: [0...10], limit: 10) }
        #expect(!probe.changed())
    }
}
