import EventStore
import Foundation
import SQLiteStore
import TestSupport
import Testing

/// The fixture written by eventsource-py 0.15.1 (Tests/Fixtures/README.md) read through the model:
/// the facts its README lists, each stated here by hand.
@Suite final class EventsourcePyFixtureTests {
    let directory = TemporaryDirectory()
    let reader: SQLiteStoreReader

    init() throws {
        let path = directory.file("esp.sqlite")
        try FileManager.default.copyItem(atPath: eventsourcePyFixture, toPath: path)
        reader = try SQLiteStoreReader.open(path: path)
    }

    deinit { directory.remove() }

    static let order = "Order-11111111-1111-4111-8111-111111111111"

    @Test func theLayoutAndItsCapabilitiesAreRecognised() {
        #expect(reader.info.layout == .eventsourcePy)
        #expect(reader.info.capabilities == [.globalPositions, .checkpoints, .gaps, .snapshots, .deadLetters, .outbox])
    }

    @Test func eventsAreTheOrderAtOneTwoFourAndTheAccountAtThree() async throws {
        let log = try await reader.log(LogQuery())
        #expect(log.map(\.globalPosition) == [1, 2, 3, 4])
        #expect(log.map(\.streamId) == [Self.order, Self.order, "Account-22222222-2222-4222-8222-222222222222", Self.order])
        // The version column, 1-based, not the payload's aggregate_version (1 everywhere).
        #expect(log.map(\.position) == [1, 2, 1, 3])
        #expect(try await reader.head() == 4)
    }

    @Test func theDetailSplitsThePayloadIntoDomainFieldsAndTheEnvelope() async throws {
        let shipped = try #require(try await reader.event(at: 2))
        #expect(shipped.data == #"{"carrier":"UPS"}"#)
        #expect(shipped.envelope?.correlationId == "3b6b0fad-695a-4977-b1b7-63dc8d0a1259")
        #expect(shipped.metadata.contains(#""aggregate_type":"Order""#) && !shipped.metadata.contains("carrier"))
        #expect(shipped.fields == [EventField("tenant_id", "33333333-3333-4333-8333-333333333333")])
        let placed = try #require(try await reader.event(at: 1))
        #expect(placed.fields == [EventField("actor_id", "alice")])
        #expect(placed.data == #"{"total":"42.00"}"#)
        #expect(placed.timestamp == .at(Timestamp(parsing: "2026-11-22T11:12:51.811594Z")!))
    }

    @Test func streamsAreTypeIdPairsWithVersionsFromTheirEvents() async throws {
        let streams = try await reader.streams(StreamQuery())
        #expect(streams.map(\.id) == ["Account-22222222-2222-4222-8222-222222222222", Self.order])
        #expect(streams.map(\.version) == [1, 3])
        #expect(streams.map(\.category) == ["Account", "Order"])
        #expect(try await reader.streamEvents(StreamEventsQuery(streamId: Self.order)).map(\.globalPosition) == [1, 2, 4])
        #expect(try await reader.softDeletedStreams() == [])
    }

    @Test func checkpointsAreAtFourFromTheTokenAndTwoFromTheLastEventId() async throws {
        let checkpoints = try await reader.checkpoints()
        #expect(checkpoints.map(\.projectionName) == ["LegacyProjection", "OrderSummarySubscription"])
        #expect(checkpoints.map(\.position) == [2, 4])
        // The trigger's `YYYY-MM-DD HH:MM:SS` and the library's ISO text both parse.
        #expect(checkpoints[0].updatedAt == .at(Timestamp(parsing: "2026-11-22T11:12:51Z")!))
        #expect(checkpoints[1].updatedAt == .at(Timestamp(parsing: "2026-11-22T11:12:51.842651Z")!))
        #expect(checkpoints.allSatisfy { $0.problems.isEmpty })
        let progress = try await reader.projectionProgress(ProgressRequest())
        #expect(progress.projections.map(\.pending.count) == [2, 0])
    }

    @Test func theDeadLetterTheOutboxAndTheSnapshot() async throws {
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
        #expect(snapshots.first?.version == 3 && snapshots.first?.state == #"{"status":"shipped"}"#)
    }
}
