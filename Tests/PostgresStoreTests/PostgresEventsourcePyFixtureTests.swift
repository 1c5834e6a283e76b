import EventStore
import Foundation
@testable import PostgresStore
import TestSupport
import Testing

/// The rows eventsource-py 0.15.1 wrote (Tests/Fixtures/README.md) copied into its PostgreSQL DDL
/// (`UUID` ids, `JSONB` payloads, `TIMESTAMPTZ` times) and read through the model: the facts the
/// README lists, each stated by hand, as `EventsourcePyFixtureTests` does on SQLite.
@Suite struct PostgresEventsourcePyFixtureTests {
    static let database = Task<TestDatabase, any Error> {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let database = try await PostgresServer.shared.makeDatabase("espfacts")
        try await PostgresLayoutCopy.copy(sqlitePath: try PostgresLayoutCopy.copyOfFixture(in: directory), layout: .eventsourcePy, into: database,
                                         ddl: LayoutStoreBuilder.eventsourcePyPostgresDDL(aggregateIds: "UUID"))
        return database
    }

    func reader() async throws -> PostgresStoreReader { try await PostgresStoreReader.open(test: try await Self.database.value.url) }

    static let order = "Order-11111111-1111-4111-8111-111111111111"

    @Test func theLayoutAndItsCapabilitiesAreRecognised() async throws {
        let reader = try await reader()
        defer { Task { await reader.close() } }
        #expect(reader.info.layout == .eventsourcePy)
        #expect(reader.info.capabilities == [.globalPositions, .checkpoints, .gaps, .snapshots, .deadLetters, .outbox, .visibilityHorizon])
    }

    @Test func eventsStreamsAndTheSplitPayload() async throws {
        let reader = try await reader()
        defer { Task { await reader.close() } }
        let log = try await reader.log(LogQuery())
        #expect(log.map(\.globalPosition) == [1, 2, 3, 4])
        #expect(log.map(\.streamId) == [Self.order, Self.order, "Account-22222222-2222-4222-8222-222222222222", Self.order])
        #expect(log.map(\.position) == [1, 2, 1, 3])
        #expect(try await reader.head() == 4)
        let shipped = try #require(try await reader.event(at: 2))
        #expect(shipped.data == #"{"carrier":"UPS"}"#)
        #expect(shipped.envelope?.correlationId == "3b6b0fad-695a-4977-b1b7-63dc8d0a1259")
        #expect(shipped.fields == [EventField("tenant_id", "33333333-3333-4333-8333-333333333333")])
        let placed = try #require(try await reader.event(at: 1))
        #expect(placed.timestamp == .at(Timestamp(parsing: "2026-11-22T11:12:51.811594Z")!))
        let streams = try await reader.streams(StreamQuery())
        #expect(streams.map(\.id) == ["Account-22222222-2222-4222-8222-222222222222", Self.order])
        #expect(streams.map(\.version) == [1, 3])
        #expect(try await reader.streamEvents(StreamEventsQuery(streamId: Self.order)).map(\.globalPosition) == [1, 2, 4])
        // The aggregate ids are uuids here, as the library writes them: a prefix of one is still a prefix.
        #expect(try await reader.streams(StreamQuery(filter: .prefix("Order-1111"))).map(\.id) == [Self.order])
        #expect(try await reader.streams(StreamQuery(filter: .prefix("Order-2222"))) == [])
        #expect(try await reader.countStreams(.prefix("Order-111"), cap: 10) == PendingCount(count: 1, isCapped: false))
        #expect(try await reader.stream(id: "Order-not-a-uuid") == nil)
        #expect(try await reader.streamEvents(StreamEventsQuery(streamId: "Order-not-a-uuid")) == [])
    }

    @Test func checkpointsAreAtFourFromTheTokenAndTwoFromTheLastEventId() async throws {
        let reader = try await reader()
        defer { Task { await reader.close() } }
        let checkpoints = try await reader.checkpoints()
        #expect(checkpoints.map(\.projectionName) == ["LegacyProjection", "OrderSummarySubscription"])
        #expect(checkpoints.map(\.position) == [2, 4])
        #expect(checkpoints[0].updatedAt == .at(Timestamp(parsing: "2026-11-22T11:12:51Z")!))
        #expect(checkpoints.allSatisfy { $0.problems.isEmpty })
        let progress = try await reader.projectionProgress(ProgressRequest())
        #expect(progress.projections.map(\.pending.count) == [2, 0])
    }

    @Test func theDeadLetterTheOutboxAndTheSnapshot() async throws {
        let reader = try await reader()
        defer { Task { await reader.close() } }
        let letters = try #require(try await reader.deadLetters(DeadLetterQuery()))
        #expect(letters.count == 1)
        let letter = try #require(letters.first)
        #expect(letter.projectionName == "OrderSummarySubscription" && letter.eventType == "AccountOpened")
        #expect(letter.status == "failed" && letter.errorMessage == "boom: carrier unknown" && letter.retryCount == 3)
        #expect(letter.stackTrace?.contains("ValueError: boom: carrier unknown") == true)
        #expect(try await reader.event(id: letter.eventId)?.globalPosition == 3)
        #expect(try await reader.deadLetters(DeadLetterQuery(status: "resolved")) == [])
        let outbox = try #require(try await reader.outboxSummary())
        #expect(outbox.pending == 4 && outbox.published == 0 && outbox.failed == 0)
        #expect(outbox.oldestPendingAt == .at(Timestamp(parsing: "2026-11-22T11:12:51.822519Z")!))
        let snapshots = try await reader.snapshots(after: nil, limit: 10)
        #expect(snapshots.map(\.streamId) == [Self.order])
        #expect(snapshots.first?.version == 3)
        guard case .success(let state)? = snapshots.first.map({ JSONValue.parsed($0.state) }) else { Issue.record("\(snapshots)"); return }
        #expect(state == .object([.init("status", .string("shipped"))]))
    }

    /// An id typed by hand that is no UUID names no event in a `uuid` column (never a query error).
    @Test func anIdThatIsNoUUIDFindsNothing() async throws {
        let reader = try await reader()
        defer { Task { await reader.close() } }
        #expect(try await reader.event(id: "ev-1") == nil)
        #expect(try await reader.event(id: "") == nil)
    }
}
