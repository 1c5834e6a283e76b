import EventStore
import Foundation
import SQLiteStore
import TestSupport
import Testing

/// Keyset-paged reads agree with the brute-force answer computed from every row.
@Suite struct PagingTests {
    let store = DemoFixture.standard
    let reader: SQLiteStoreReader
    let brute: BruteForce

    /// Every row of the standard store in memory, read once for all the tests of the suite.
    static let oracle = Result { try BruteForce(path: DemoFixture.standard.path) }

    init() throws {
        reader = try SQLiteStoreReader.open(path: store.path)
        brute = try Self.oracle.get()
    }

    @Test func headIsTheHighestPositionDeletedStreamsIncluded() async throws {
        #expect(try await reader.head() == brute.head)
        #expect(brute.head == store.summary.head)
    }

    @Test(arguments: [-1, 0, 3, 9_999, 12_000, 19_990])
    func logAfterMatchesBruteForce(after: Int) async throws {
        let p = GlobalPosition(after)
        let page = try await reader.log(LogQuery(anchor: .after(.position(p)), limit: 50))
        #expect(page.map(\.globalPosition) == brute.log(after: p, limit: 50))
        #expect(page.allSatisfy { !$0.isHidden })
    }

    @Test func logAfterNearTheEndReturnsTheRest() async throws {
        let p = brute.head - 10
        let page = try await reader.log(LogQuery(anchor: .after(.position(p)), limit: 50))
        #expect(page.map(\.globalPosition) == brute.log(after: p, limit: 50))
        #expect(page.count < 50)
    }

    @Test func logBeforePagesBackwards() async throws {
        var cursor = brute.head + 1
        var seen: [GlobalPosition] = []
        for _ in 0..<5 {
            let page = try await reader.log(LogQuery(anchor: .before(.position(cursor)), limit: 37))
            #expect(page.map(\.globalPosition) == brute.log(before: cursor, limit: 37))
            seen += page.map(\.globalPosition)
            cursor = page.last!.globalPosition
        }
        #expect(seen == seen.sorted(by: >))
        #expect(Set(seen).count == seen.count)
    }

    @Test func pagingForwardsVisitsEveryVisibleEventOnce() async throws {
        var cursor: GlobalPosition = 11_000
        var seen: [GlobalPosition] = []
        while seen.count < 2_000 {
            let page = try await reader.log(LogQuery(anchor: .after(.position(cursor)), limit: 250))
            if page.isEmpty { break }
            seen += page.map(\.globalPosition)
            cursor = page.last!.globalPosition
        }
        #expect(seen == brute.log(after: 11_000, limit: 2_000))
    }

    @Test func deletedStreamEventsOnlyWhenAsked() async throws {
        let deleted = store.summary.deletedRuns[0].from
        let hidden = try await reader.log(LogQuery(anchor: .after(.position(deleted - 1)), limit: 1))
        #expect(hidden.first?.globalPosition != deleted)
        let shown = try await reader.log(LogQuery(anchor: .after(.position(deleted - 1)), limit: 1, includeHidden: true))
        #expect(shown.first?.globalPosition == deleted)
        #expect(shown.first?.isHidden == true)
        #expect(try await reader.log(LogQuery(anchor: .after(.position(deleted - 10)), limit: 40, includeHidden: true)).map(\.globalPosition)
            == brute.log(after: deleted - 10, limit: 40, includeHidden: true))
    }

    @Test(arguments: [["OrderShipped"], ["MoneyDeposited", "AccountOpened"], ["NoSuchType"]])
    func typeFilterMatchesBruteForce(types: [String]) async throws {
        for anchor in [GlobalPosition(-1), 7_000, 15_000] {
            let page = try await reader.log(LogQuery(anchor: .after(.position(anchor)), limit: 40, eventTypes: Set(types)))
            #expect(page.map(\.globalPosition) == brute.log(after: anchor, limit: 40, types: Set(types)))
            let back = try await reader.log(LogQuery(anchor: .before(.position(anchor + 2_000)), limit: 40, eventTypes: Set(types)))
            #expect(back.map(\.globalPosition) == brute.log(before: anchor + 2_000, limit: 40, types: Set(types)))
        }
    }

    @Test func streamEventsBothWays() async throws {
        let id = brute.streamIds[brute.streamIds.count / 2]
        let all = brute.events.filter { $0.streamId == id }.map(\.position)
        let forwards = try await reader.streamEvents(StreamEventsQuery(streamId: id, limit: 1_000))
        #expect(forwards.map(\.position) == all)
        #expect(forwards.allSatisfy { $0.streamId == id })
        let from = try await reader.streamEvents(StreamEventsQuery(streamId: id, from: 1, limit: 2))
        #expect(from.map(\.position) == Array(all.dropFirst().prefix(2)))
        let backwards = try await reader.streamEvents(StreamEventsQuery(streamId: id, direction: .backwards, limit: 1_000))
        #expect(backwards.map(\.position) == all.reversed())
    }

    @Test func streamsPageInIdOrder() async throws {
        var cursor: String? = nil
        var seen: [String] = []
        for _ in 0..<4 {
            let page = try await reader.streams(StreamQuery(after: cursor, limit: 100))
            seen += page.map(\.id)
            cursor = page.last?.id
        }
        #expect(seen == Array(brute.streamIds.prefix(400)))
    }

    @Test(arguments: ["Order", "Shipment"])
    func categoryFilter(category: String) async throws {
        let page = try await reader.streams(StreamQuery(filter: .category(category), limit: 10_000))
        #expect(page.map(\.id) == brute.streamIds.filter { $0.hasPrefix(category + "-") })
        #expect(!page.isEmpty)
    }

    @Test func prefixFilterWithCursor() async throws {
        let all = brute.streamIds.filter { $0.hasPrefix("Account-1") }
        let first = try await reader.streams(StreamQuery(filter: .prefix("Account-1"), limit: 5))
        let second = try await reader.streams(StreamQuery(filter: .prefix("Account-1"), after: first.last?.id, limit: 5))
        #expect((first + second).map(\.id) == Array(all.prefix(10)))
    }

    @Test func pendingMatchesBruteForce() async throws {
        for checkpoint in store.summary.checkpoints.values {
            let pending = try await reader.pendingEvents(after: checkpoint, eventTypes: [], cap: 1_000_000)
            #expect(pending == PendingCount(count: Int64(brute.pending(after: checkpoint)), isCapped: false))
        }
        let capped = try await reader.pendingEvents(after: -1, eventTypes: [], cap: 100)
        #expect(capped == PendingCount(count: 100, isCapped: true))
        #expect(capped.description == "more than 100")
    }

    @Test func gapsAreExactlyTheOnesTheDemoMade() async throws {
        let window = try #require(try await reader.defaultGapWindow())
        let gaps = try await reader.gaps(in: window, limit: 10_000)
        #expect(gaps == store.summary.gaps)
        #expect(gaps == brute.gaps(in: window))
        #expect(gaps.contains { $0.kind == .deleted } && gaps.contains { $0.kind == .missing })
    }

    @Test func gapsOfAnyWindowMatchBruteForce() async throws {
        let run = store.summary.missingRuns[1]
        for window in [run.from...run.to, (run.from - 3)...(run.to + 3), 0...brute.head, (run.from + 0)...(brute.head)] {
            #expect(try await reader.gaps(in: window, limit: 10_000) == brute.gaps(in: window))
        }
        #expect(try await reader.gaps(in: 0...brute.head, limit: 2) == Array(brute.gaps(in: 0...brute.head).prefix(2)))
    }

    @Test func projectionStatusesTellTheDemoStory() async throws {
        let statuses = try await reader.projectionStatuses(now: store.madeAt.adding(seconds: 1), request: .init(pendingCap: 1_000_000))
        let byName = Dictionary(uniqueKeysWithValues: statuses.map { ($0.name, $0) })
        #expect(byName.keys.sorted() == ["customer_directory", "order_history", "shipment_tracker"])
        #expect(byName["customer_directory"]?.state == .catchingUp)
        #expect(byName["shipment_tracker"]?.state == .blockedByGap)
        #expect(byName["order_history"]?.state == .leaseExpired)
        #expect(byName["order_history"]?.lease?.holderId.hasPrefix("worker-dead-") == true)
        for status in statuses {
            #expect(status.pending.count == Int64(brute.pending(after: status.checkpoint.position)))
        }
        let stuck = try #require(byName["shipment_tracker"])
        #expect(stuck.blockingGaps(in: store.summary.gaps).first?.from == stuck.checkpoint.position + 1)
    }
}
