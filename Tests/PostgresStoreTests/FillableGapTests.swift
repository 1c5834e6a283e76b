import EventStore
import Foundation
import PostgresNIO
@testable import PostgresStore
import TestSupport
import Testing

/// Acceptance 3: a position taken by a transaction still open is `fillable`; it fills and
/// disappears when that transaction commits, and becomes `permanent` when it rolls back.
@Suite struct FillableGapTests {
    static func append(_ connection: PostgresConnection, stream: String, position: Int) async throws {
        try await connection.query("""
            INSERT INTO es_events (event_id, stream_id, event_type, position, data, metadata, timestamp, idempotency_key)
            VALUES (gen_random_uuid(), \(stream), 'Happened', \(position), '{}', '{}', now(), \(stream + "-\(position)"))
            """, logger: quietLogger)
    }

    func fillability(_ reader: PostgresStoreReader, of gap: Gap, seenSecondsAgo: Double = 0) async throws -> Gap.Fillability? {
        let now = Timestamp.now()
        return Gap.fillability(of: gap, firstSeen: now.adding(seconds: -seenSecondsAgo), now: now, writers: try await reader.openWriters())
    }

    @Test func aPositionHeldByAnOpenTransactionIsFillableThenFillsOnCommit() async throws {
        let database = try await TestDatabase.emptyWaku("fill")
        try await database.psql("INSERT INTO es_streams (stream_id, stream_type) VALUES ('A-1', 'A'), ('B-1', 'B')")
        let slow = try await database.connect(), fast = try await database.connect()
        let reader = try await PostgresStoreReader.open(test: database.url)
        defer { Task { try? await slow.close(); try? await fast.close(); await reader.close(); try? await database.drop() } }
        try await Self.append(fast, stream: "A-1", position: 0)           // 0
        try await slow.query("BEGIN", logger: quietLogger)
        try await Self.append(slow, stream: "B-1", position: 0)           // 1, not yet committed
        try await Self.append(fast, stream: "A-1", position: 1)           // 2, committed
        #expect(try await reader.head() == 2)
        let gaps = try await reader.gaps(in: 0...2, limit: 10)
        #expect(gaps == [Gap(from: 1, to: 1, kind: .missing)])
        #expect(try await fillability(reader, of: gaps[0]) == .fillable)
        // A writer that began after the run was first seen cannot be the one holding it.
        #expect(try await fillability(reader, of: gaps[0], seenSecondsAgo: 3_600) == .permanent)

        try await slow.query("COMMIT", logger: quietLogger)
        #expect(try await reader.gaps(in: 0...2, limit: 10) == [])
        #expect(try await reader.openWriters().oldestAge == nil)
    }

    @Test func aPositionBurntByARollbackIsPermanent() async throws {
        let database = try await TestDatabase.emptyWaku("burn")
        try await database.psql("INSERT INTO es_streams (stream_id, stream_type) VALUES ('A-1', 'A'), ('B-1', 'B')")
        let slow = try await database.connect(), fast = try await database.connect()
        let reader = try await PostgresStoreReader.open(test: database.url)
        defer { Task { try? await slow.close(); try? await fast.close(); await reader.close(); try? await database.drop() } }
        try await slow.query("BEGIN", logger: quietLogger)
        try await Self.append(slow, stream: "B-1", position: 0)           // 0, never committed
        try await Self.append(fast, stream: "A-1", position: 0)           // 1
        let gap = Gap(from: 0, to: 0, kind: .missing)
        #expect(try await reader.gaps(in: 0...1, limit: 10) == [gap])
        #expect(try await fillability(reader, of: gap) == .fillable)
        try await slow.query("ROLLBACK", logger: quietLogger)
        #expect(try await reader.gaps(in: 0...1, limit: 10) == [gap])
        #expect(try await fillability(reader, of: gap) == .permanent)
    }

    /// A role that cannot see the writer's session cannot tell: the answer is unknown, not a guess.
    @Test func sessionsThisRoleCannotSeeMakeTheAnswerUnknown() {
        let gap = Gap(from: 4, to: 4, kind: .missing)
        let now = Timestamp.now()
        #expect(Gap.fillability(of: gap, firstSeen: now, now: now, writers: OpenWriters(oldestAge: nil, hiddenSessions: 2)) == nil)
        #expect(Gap.fillability(of: gap, firstSeen: now, now: now, writers: OpenWriters(oldestAge: 5, hiddenSessions: 2)) == .fillable)
        #expect(Gap.fillability(of: Gap(from: 4, to: 5, kind: .deleted), firstSeen: now, now: now,
                                writers: OpenWriters(oldestAge: 5, hiddenSessions: 0)) == .permanent)
    }
}
