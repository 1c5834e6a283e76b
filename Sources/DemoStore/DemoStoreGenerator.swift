import EventStore
import Foundation
import GRDB

/// Creates a realistic demo store: categories of streams, nested non-ASCII payloads, correlation
/// chains across streams, schema versions, a soft-deleted stream, permanent gaps, checkpoints at
/// different lags, a held and an expired lease, and snapshots. The same seed makes the same events.
public struct DemoStoreGenerator: Sendable {
    /// Not part of waku's DDL: a partial index that makes the deleted-streams lookup of the gap
    /// query index-backed. eventscope uses it when present and works without it.
    static let deletedStreamsIndex = "CREATE INDEX ix_es_streams_deleted ON es_streams (deleted_at) WHERE deleted_at IS NOT NULL"

    /// The page cache while creating, whatever the size: loading appends and index builds sort.
    static let cacheKiB = 64 * 1024

    public var events: Int
    public var seed: UInt64
    /// The time the last event is stamped with; earlier events go back about thirty days.
    public var now: Timestamp

    public init(events: Int, seed: UInt64 = 42, now: Timestamp = .now()) {
        self.events = events
        self.seed = seed
        self.now = now
    }

    /// What the generator made, for the summary it prints and for tests.
    public struct Summary: Sendable, Hashable {
        public var events: Int
        public var streams: Int
        public var head: GlobalPosition
        /// Positions deliberately skipped (permanent `missing` gaps), ascending.
        public var missingRuns: [Gap]
        /// Runs of positions held by the soft-deleted stream (`deleted` gaps), ascending.
        public var deletedRuns: [Gap]
        public var deletedStream: String
        public var checkpoints: [String: GlobalPosition]
        public var seconds: Double
        public var bytes: Int64
        /// Where the time went, in order: generate and load, index build, finish.
        public var phases: [Phase] = []
        public var gaps: [Gap] { Gap.merge(missing: missingRuns, deleted: deletedRuns) }
    }

    /// One step of creation and its wall time.
    public struct Phase: Sendable, Hashable {
        public var name: String
        public var seconds: Double
    }

    /// Progress of a long creation: events written so far.
    public typealias Progress = @Sendable (_ written: Int, _ total: Int, _ elapsed: Double) -> Void

    public func create(at path: String, progress: Progress? = nil) throws -> Summary {
        guard events >= 50 else { throw StoreError.badArgument("a demo store needs at least 50 events (got \(events))") }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        // Built under a temporary name and renamed at the end: an interrupted run leaves no half store.
        let partial = path + ".partial-\(getpid())"
        try? FileManager.default.removeItem(atPath: partial)
        let started = Date()
        var summary: Summary
        do {
            var configuration = Configuration()
            configuration.journalMode = .default
            let queue = try DatabaseQueue(path: partial, configuration: configuration)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = OFF")
                try db.execute(sql: "PRAGMA synchronous = OFF")
                // A bounded cache: events are appended in order and the indexes built by sorting afterwards.
                try db.execute(sql: "PRAGMA cache_size = -\(Self.cacheKiB)")
                for statement in WakuSchema.sqliteDDL + [Self.deletedStreamsIndex, DemoBulkLoad.createTable] {
                    try db.execute(sql: statement)
                }
                try db.execute(sql: DemoMarker.setSQL)
            }
            var writer = DemoEventWriter(generator: self)
            summary = try writer.write(into: queue, progress: progress, started: started)
            var mark = started
            func phase(_ name: String) {
                summary.phases.append(Phase(name: name, seconds: Date().timeIntervalSince(mark)))
                mark = Date()
            }
            phase("generate and load")
            try queue.writeWithoutTransaction { db in
                // The index builds sort; a second thread shares the sorting where there is a second core.
                try db.execute(sql: "PRAGMA threads = \(min(4, max(1, ProcessInfo.processInfo.activeProcessorCount)))")
                try DemoBulkLoad.buildIndexesAndSwap(db)
            }
            try queue.close()
            phase("index build")
            let swapped = try DatabaseQueue(path: partial, configuration: configuration)
            try swapped.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = OFF")
                try db.execute(sql: "PRAGMA cache_size = -\(Self.cacheKiB)")
                try DemoBulkLoad.dropLoadTable(db)
                try db.execute(sql: "ANALYZE")
                try db.execute(sql: "PRAGMA journal_mode = WAL")
            }
            try swapped.close()
            // The old store's WAL and shared-memory files must go with it: SQLite would read a
            // leftover WAL as part of the new file and corrupt it.
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            try FileManager.default.moveItem(atPath: partial, toPath: path)
            phase("finish")
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        summary.seconds = Date().timeIntervalSince(started)
        summary.bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
        return summary
    }
}
