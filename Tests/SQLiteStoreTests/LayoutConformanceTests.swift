import EventStore
import Foundation
import SQLiteStore
import TestSupport
import Testing

/// The eventsource-py, lexigram and minimal layouts on SQLite against the in-memory oracle loaded
/// from the same file by plain `SELECT *`: every read of `StoreReader`.
@Suite struct LayoutConformanceTests {
    static func sample(_ layout: StoreLayout, in directory: TemporaryDirectory) throws -> String {
        let path = directory.file("\(layout).db")
        let builder = try LayoutStoreBuilder(path: path, layout: layout)
        try builder.writeSample()
        try builder.close()
        return path
    }

    @Test(arguments: [StoreLayout.eventsourcePy, .lexigram, .minimal])
    func theSampleConforms(_ layout: StoreLayout) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = try Self.sample(layout, in: directory)
        let reader = try SQLiteStoreReader.open(path: path)
        #expect(reader.info.layout == layout)
        let oracle = try InMemoryStore.load(sqlitePath: path, layout: layout)
        #expect(reader.info.capabilities == oracle.info.capabilities)
        let mismatches = try await StoreConformance(subject: reader, oracle: oracle).mismatches()
        #expect(mismatches == [])
    }

    /// The fixture written by eventsource-py 0.15.1 itself.
    @Test func theEventsourcePyFixtureConforms() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("esp.sqlite")
        try FileManager.default.copyItem(atPath: eventsourcePyFixture, toPath: path)
        let mismatches = try await StoreConformance(subject: try SQLiteStoreReader.open(path: path),
                                                    oracle: try InMemoryStore.load(sqlitePath: path, layout: .eventsourcePy)).mismatches()
        #expect(mismatches == [])
    }

    /// A page boundary inside a type, across types and backwards: the stream walk of eventsource-py
    /// (types, then ids on the unique index) gives the ids in the order the oracle sorts them.
    @Test(arguments: [StoreLayout.eventsourcePy, .lexigram, .minimal])
    func streamPagesWalkEveryStreamOnceBothWays(_ layout: StoreLayout) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = try Self.sample(layout, in: directory)
        let reader = try SQLiteStoreReader.open(path: path)
        let expected = try InMemoryStore.load(sqlitePath: path, layout: layout).streamRows.map(\.id).sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        #expect(expected.count == 4)
        var forwards: [String] = [], after: String?
        repeat {
            let page = try await reader.streams(StreamQuery(after: after, limit: 1))
            forwards += page.map(\.id)
            after = page.last?.id
        } while after != nil && forwards.count < 10
        #expect(forwards == expected)
        var backwards: [String] = []
        after = nil
        repeat {
            let page = try await reader.streams(StreamQuery(after: after, limit: 1, direction: .backwards))
            backwards += page.map(\.id)
            after = page.last?.id
        } while after != nil && backwards.count < 10
        #expect(backwards == expected.reversed())
    }
}
