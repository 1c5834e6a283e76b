import EventStore
import Foundation
import GRDB
@testable import SQLiteStore
import TestSupport
import Testing

/// How the adapter opens a file so that reading never harms it (end-to-end, as other users: `StoreSafetyTests`).
@Suite struct StoreOpeningTests {
    /// While a reader is open, a writer's last close cannot delete the -wal and -shm (it needs the
    /// EXCLUSIVE lock the reader's pin blocks): sidecars that exist stay, owned by whoever made them.
    @Test func anOpenReaderPinsTheSidecars() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("s.db")
        let builder = try WakuStoreBuilder(path: path)
        try builder.stream("Order-1", version: 0)
        try builder.event(0, stream: "Order-1", position: 0)
        try builder.close()
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        let reader = try SQLiteStoreReader.open(path: path)
        let writer = try DatabaseQueue(path: path)
        try await writer.write { db in
            try db.execute(sql: WakuSchema.insertEvent, arguments: [1, "ev-1", "Order-1", "Happened", 1, "{}", "{}",
                                                                    "2026-11-02T00:00:00.000000Z", 1, "idem-1"])
        }
        try writer.close()
        #expect(FileManager.default.fileExists(atPath: path + "-wal") && FileManager.default.fileExists(atPath: path + "-shm"))
        #expect(try await reader.head() == 1)
    }

    @Test func theWALHeaderIsReadFromTheFile() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try WakuStoreBuilder(path: directory.file("wal.db")).close()
        try WakuStoreBuilder(path: directory.file("rollback.db"), wal: false).close()
        #expect(StoreFiles(path: directory.file("wal.db")).isWAL)
        #expect(!StoreFiles(path: directory.file("rollback.db")).isWAL)
        #expect(!StoreFiles(path: directory.file("missing.db")).isWAL)
    }

    /// A damaged file is bad input, named once, whether opening or a query meets the damage.
    @Test func damageMetByAQueryIsBadInput() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("x.db")
        let builder = try WakuStoreBuilder(path: path, wal: false)
        try builder.stream("Order-1", version: 999)
        try builder.close()
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            for position in 0..<1000 {
                try db.execute(sql: WakuSchema.insertEvent, arguments: [position, "ev-\(position)", "Order-1", "Happened", position,
                                                                        #"{"p":""# + String(repeating: "x", count: 300) + #""}"#,
                                                                        "{}", "2026-11-02T00:00:00.000000Z", 1, "idem-\(position)"])
            }
        }
        try queue.close()
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: try handle.seekToEnd() / 2)
        try handle.close()
        let error = try await #require(throws: StoreError.self) {
            try await SQLiteStoreReader.open(path: path).log(LogQuery(anchor: .after(.start), limit: 1000))
        }
        #expect(error.isBadInput)
        #expect(error.description.hasPrefix("\(path): the database file is corrupt or truncated"))
        #expect(StoreError.message(for: error, at: path) == error.description)
        #expect(StoreError.message(for: CancellationError(), at: path).hasPrefix("\(path): "))
    }
}
