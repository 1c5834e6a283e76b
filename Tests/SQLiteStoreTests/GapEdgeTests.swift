import EventStore
import Foundation
import SQLiteStore
import TestSupport
import Testing

@Suite struct GapEdgeTests {
    @Test func orphanEventsAreHiddenRunsWhenAsked() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let builder = try WakuStoreBuilder(path: directory.file("s.db"))
        try builder.stream("A-1", version: 3)
        try builder.stream("D-1", version: 0, deleted: true)
        try builder.event(0, stream: "A-1", position: 0)
        try builder.event(2, stream: "Ghost-1", position: 0)
        try builder.event(3, stream: "D-1", position: 0)
        try builder.event(4, stream: "A-1", position: 1)
        try builder.close()
        let reader = try SQLiteStoreReader.open(path: directory.file("s.db"))
        let brute = try BruteForce(path: directory.file("s.db"))
        #expect(try await reader.gaps(in: 0...4, limit: 10, includeOrphans: true) == brute.gaps(in: 0...4))
        #expect(try await reader.gaps(in: 0...4, limit: 10, includeOrphans: true)
            == [Gap(from: 1, to: 1, kind: .missing), Gap(from: 2, to: 3, kind: .deleted)])
        // Without the per-event check, only soft-deleted streams' events are found.
        #expect(try await reader.gaps(in: 0...4, limit: 10)
            == [Gap(from: 1, to: 1, kind: .missing), Gap(from: 3, to: 3, kind: .deleted)])
    }

    @Test func runsOfManyDeletedStreamsAreWholeWhateverTheLimit() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let builder = try WakuStoreBuilder(path: directory.file("s.db"))
        let ids = (0..<600).map { "S-" + String(format: "%04d", $0) }
        for id in ids { try builder.stream(id, version: 40, deleted: true) }
        try builder.stream("A-1", version: 0)
        // Positions 0–39 alternate between the first and the last of 600 deleted streams.
        for p in 0..<40 { try builder.event(GlobalPosition(p), stream: p % 2 == 0 ? ids[0] : ids[599], position: Int64(p / 2)) }
        try builder.event(40, stream: "A-1", position: 0)
        try builder.event(42, stream: ids[300], position: 0)
        try builder.event(43, stream: "A-1", position: 1)
        try builder.close()
        let reader = try SQLiteStoreReader.open(path: directory.file("s.db"))
        let all = [Gap(from: 0, to: 39, kind: .deleted), Gap(from: 41, to: 41, kind: .missing), Gap(from: 42, to: 42, kind: .deleted)]
        #expect(try await reader.gaps(in: 0...43, limit: 10) == all)
        #expect(try await reader.gaps(in: 0...43, limit: 1) == [all[0]])
        #expect(try await reader.gaps(in: 0...43, limit: 2) == Array(all.prefix(2)))
    }
}
