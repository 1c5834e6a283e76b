import EventStore
import Foundation
import GRDB
@testable import SQLiteStore
import TestSupport
import Testing

@Suite struct ReadOnlyTests {
    /// Writes go through GRDB's unguarded path (`unsafeRead` sets no read-only mode), so only the
    /// adapter's own guards stop them: deleting both makes this test fail on a rollback-journal store.
    @Test(arguments: [false, true])
    func theAdapterCannotWrite(wal: Bool) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let builder = try WakuStoreBuilder(path: directory.file("s.db"), wal: wal)
        try builder.stream("Order-1", version: 0)
        try builder.event(0, stream: "Order-1", position: 0)
        try builder.close()
        let reader = try SQLiteStoreReader.open(path: directory.file("s.db"))
        for sql in ["DELETE FROM es_events", "INSERT INTO es_checkpoints VALUES ('x', 1, 'now', NULL)",
                    "UPDATE es_streams SET deleted_at = 'now'", "CREATE TABLE t (x)"] {
            let error = await #expect(throws: DatabaseError.self, "\(sql) must fail") { try await reader.writeUnguardedForTesting(sql) }
            #expect(error?.resultCode == .SQLITE_READONLY, "\(sql): \(String(describing: error))")
        }
        #expect(try await reader.head() == 0)
        #expect(try await reader.stream(id: "Order-1")?.isDeleted == false)
    }

    /// Each guard on its own: the file is opened read-only, and `query_only` is on.
    @Test(arguments: [false, true])
    func bothGuardsAreOn(wal: Bool) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try WakuStoreBuilder(path: directory.file("s.db"), wal: wal).close()
        let guards = try await SQLiteStoreReader.open(path: directory.file("s.db")).guardsForTesting()
        #expect(guards.fileReadOnly)
        #expect(guards.queryOnly)
    }

    @Test func aReaderSeesAConcurrentWritersCommits() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let builder = try WakuStoreBuilder(path: directory.file("s.db"))
        try builder.stream("Order-1", version: 5)
        try builder.event(0, stream: "Order-1", position: 0)
        let reader = try SQLiteStoreReader.open(path: directory.file("s.db"))
        #expect(try await reader.head() == 0)
        try builder.event(3, stream: "Order-1", position: 1)
        #expect(try await reader.head() == 3)
        #expect(try await reader.gaps(in: 0...3, limit: 10) == [Gap(from: 1, to: 2, kind: .missing)])
    }
}

@Suite struct OpeningErrorTests {
    @Test func aMissingFileIsAnErrorAndIsNotCreated() throws {
        let path = "/tmp/eventscope-no-such-\(UUID().uuidString).db"
        #expect(throws: StoreError.noSuchFile(path: path)) { try SQLiteStoreReader.open(path: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aFileThatIsNotSQLite() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("notes.txt")
        try String(repeating: "not a database\n", count: 100).write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: StoreError.self) { try SQLiteStoreReader.open(path: path) }
        #expect(error.description.contains("not a SQLite database"))
        #expect(error.isBadInput)
    }

    @Test func aDatabaseWithoutTheWakuTables() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("other.db")
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "CREATE TABLE invoices (id INTEGER)") }
        try queue.close()
        let error = try #require(throws: StoreError.self) { try SQLiteStoreReader.open(path: path) }
        #expect(error.description.contains("no known layout: looked for waku (es_events, es_streams)"))
        #expect(error.description.contains("invoices"))
    }

    /// Read as the layout it is; forced to be waku, it says what waku's tables it lacks.
    @Test func anEventsourcePyStoreIsReadAsOneAndNotMistakenForWaku() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("es.sqlite")
        try FileManager.default.copyItem(atPath: fixtures + "/eventsource-py-0.15.1.sqlite", toPath: path)
        #expect(try SQLiteStoreReader.open(path: path).info.layout == .eventsourcePy)
        let error = try #require(throws: StoreError.self) { try SQLiteStoreReader.open(path: path, layout: .waku) }
        #expect(error.description.contains("--layout waku: no es_events table"))
    }
}

@Suite struct HostileContentTests {
    @Test func controlCharactersAndCorruptJSONArriveIntactAndFlagged() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let builder = try WakuStoreBuilder(path: directory.file("s.db"))
        let evil = "Order-\u{1B}[31mred\u{07}"
        try builder.stream(evil, version: 1)
        try builder.event(0, stream: evil, position: 0, data: #"{"name":"Zoë 東京 🎉"}"#)
        try builder.event(1, stream: evil, position: 1, data: #"{"broken": tru"#)
        try builder.close()
        let reader = try SQLiteStoreReader.open(path: directory.file("s.db"))
        let events = try await reader.streamEvents(StreamEventsQuery(streamId: evil))
        #expect(events.map(\.streamId) == [evil, evil])
        #expect(events[1].json["data_error"] != nil)
        #expect(events[1].json["data"] == .string(#"{"broken": tru"#))
        #expect(events[0].json["data"]?["name"] == .string("Zoë 東京 🎉"))
        #expect(!events[0].json.compact.contains("\u{1B}"))
    }

    @Test func eventsWithoutAStreamRowAreInvisibleLikeWakuReadAll() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let builder = try WakuStoreBuilder(path: directory.file("s.db"))
        try builder.stream("A-1", version: 1)
        try builder.event(0, stream: "A-1", position: 0)
        try builder.event(1, stream: "Ghost-1", position: 0)
        try builder.event(2, stream: "A-1", position: 1)
        try builder.close()
        let reader = try SQLiteStoreReader.open(path: directory.file("s.db"))
        #expect(try await reader.log(LogQuery()).map(\.globalPosition) == [0, 2])
        #expect(try await reader.log(LogQuery(includeHidden: true)).map(\.isHidden) == [false, true, false])
        #expect(try await reader.pendingEvents(after: -1, eventTypes: [], cap: 10).count == 2)
    }
}
