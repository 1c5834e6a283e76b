import Clocks
import DemoProjections
import EventStore
import Foundation
import GRDB
import ProjectionRunner
import ProjectionRunnerSQLite
import Testing
import TestSupport

@Suite("Projection runner on SQLite, with a test clock")
struct RunnerTests {
    let wall = Timestamp(microseconds: 1_795_000_000_000_000)

    // Acceptance 1
    @Test("a rebuilt read model equals one built from scratch, on a demo store with gaps, a deleted stream and every type")
    func rebuildEqualsFresh() async throws {
        let demo = try await DemoFixture.standardStore
        #expect(!demo.summary.missingRuns.isEmpty && !demo.summary.deletedRuns.isEmpty)
        let rebuilt = try TestStore(copying: demo.path)
        let clock = TestClock()
        var session = try await makeRunner(rebuilt, projections: [EventCounter()], clock: clock, wallStart: .now())
        let head = demo.summary.head
        try await drive(&session, clock) { s in try rebuilt.checkpoint("event_counter") ?? -1 >= head - 50 && s.idleCycles(of: "event_counter")! > 0 }
        let before = try rebuilt.counts()
        let id = try rebuilt.request("event_counter")
        try await drive(&session, clock) { _ in try rebuilt.command(id).status == "done" }
        let afterRebuild = try rebuilt.counts()

        let fresh = try TestStore(copying: demo.path)
        var freshSession = try await makeRunner(fresh, projections: [EventCounter()], clock: clock, wallStart: .now(), holder: "fresh")
        try await drive(&freshSession, clock) { s in s.idleCycles(of: "event_counter")! > 0 }
        let expected = try fresh.expectedCounts()
        #expect(expected.count > 100)
        #expect(Set(expected.map { $0[1] }).count >= 20, "every event type of the demo")
        #expect(try fresh.counts() == expected)
        #expect(afterRebuild == expected)
        #expect(before == expected)
        let status = try #require(try rebuilt.status("event_counter"))
        #expect(status["state"] as String == "running")
    }

    // Acceptance 3 and 8
    @Test("a lease row written as a waku runner writes it keeps the runner off until it expires, by the injected clock")
    func wakuLeaseKeepsUsOff() async throws {
        let store = try TestStore()
        try store.append([0, 1, 2], at: wall)
        try await store.queue.write { db in
            try db.execute(sql: "INSERT INTO es_projection_leases (projection_name, holder_id, acquired_at, renewed_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: ["recorder", "waku-worker-7f3a", wall.iso8601, wall.iso8601, wall.adding(seconds: 30).iso8601])
        }
        let clock = TestClock()
        var session = try await makeRunner(store, projections: [Recorder()], clock: clock, wallStart: wall)
        await drive(&session, clock, for: .seconds(29))
        #expect(!session.holds("recorder"))
        #expect(try store.leaseHolder("recorder") == "waku-worker-7f3a")
        #expect(try Recorder.positions(store) == [])
        #expect(try store.status("recorder") == nil)
        let waited = try await drive(&session, clock, limit: 50) { _ in try Recorder.positions(store) == [0, 1, 2] }
        #expect(waited <= 7, "taken within a retry interval of the expiry")
        #expect(try store.leaseHolder("recorder") == "runner-test")
    }

    // Acceptance 2 (in process) and 8
    @Test("two runners never hold one projection at once; the survivor takes over after expiry without loss or double-apply")
    func twoRunners() async throws {
        let store = try TestStore()
        try store.append(Array(0..<250), at: wall)
        let clock = TestClock()
        var a = try await makeRunner(store, projections: [EventCounter()], clock: clock, wallStart: wall, holder: "A", leaseTTL: .seconds(6))
        var b = try await makeRunner(store, projections: [EventCounter()], clock: clock, wallStart: wall, holder: "B", leaseTTL: .seconds(6))
        for _ in 0..<40 {
            _ = await a.step()
            _ = await b.step()
            #expect(!(a.holds("event_counter") && b.holds("event_counter")))
            await clock.advance(by: .milliseconds(250))
        }
        #expect(a.holds("event_counter") && !b.holds("event_counter"))
        #expect(try store.counts() == store.expectedCounts())
        // A dies without releasing; more events arrive.
        try store.append(Array(250..<420), at: wall.adding(seconds: 10))
        var waited = 0.0
        while !b.holds("event_counter") {
            _ = await b.step()
            await clock.advance(by: .milliseconds(500))
            waited += 0.5
            #expect(waited < 20)
        }
        #expect(waited >= 4, "not before A's lease expired")
        try await drive(&b, clock) { _ in try store.checkpoint("event_counter") == 419 }
        #expect(try store.counts() == store.expectedCounts())
        #expect(try store.leaseHolder("event_counter") == "B")
    }

    // Acceptance 4 and 8
    @Test("a missing position holds the checkpoint until the gap timeout, then is skipped")
    func gapHeldThenSkipped() async throws {
        let store = try TestStore()
        try store.append([0, 1, 2, 4, 5], at: wall)
        let clock = TestClock()
        var session = try await makeRunner(store, projections: [Recorder()], clock: clock, wallStart: wall)
        _ = await session.step()
        #expect(try store.checkpoint("recorder") == 2)
        await drive(&session, clock, for: .milliseconds(9_900))
        #expect(try store.checkpoint("recorder") == 2)
        let waited = try await drive(&session, clock) { _ in try store.checkpoint("recorder") == 5 }
        #expect(waited <= 6)
        #expect(try Recorder.positions(store) == [0, 1, 2, 4, 5])
    }

    @Test("a position committed before the gap timeout is processed in order")
    func gapFilledInTime() async throws {
        let store = try TestStore()
        try store.append([0, 1, 2, 4, 5], at: wall)
        let clock = TestClock()
        var session = try await makeRunner(store, projections: [Recorder()], clock: clock, wallStart: wall)
        await drive(&session, clock, for: .seconds(5))
        #expect(try store.checkpoint("recorder") == 2)
        try store.append([3], stream: "s-2", at: wall.adding(seconds: 5))
        try await drive(&session, clock) { _ in try store.checkpoint("recorder") == 5 }
        #expect(try Recorder.positions(store) == [0, 1, 2, 3, 4, 5])
    }

    @Test("a rebuild passes gaps after their timeout instead of ending early, and shows its target")
    func rebuildWaitsAtGaps() async throws {
        let store = try TestStore()
        try store.append([0, 1, 2, 4, 5, 8, 9], at: wall)
        let id = try store.request("recorder")
        let clock = TestClock()
        var session = try await makeRunner(store, projections: [Recorder()], clock: clock, wallStart: wall)
        _ = await session.step()
        #expect(try store.command(id).status == "running")
        #expect(try store.checkpoint("recorder") == 2)
        let status = try #require(try store.status("recorder"))
        #expect(status["state"] as String == "rebuilding")
        #expect(status["rebuild_target"] as Int64? == 9)
        await drive(&session, clock, for: .seconds(9))
        #expect(try store.command(id).status == "running")
        try await drive(&session, clock) { _ in try store.command(id).status == "done" }
        #expect(try Recorder.positions(store) == [0, 1, 2, 4, 5, 8, 9])
        #expect(try store.status("recorder")?["state"] as String? == "running")
    }

    // Acceptance 5 and 8
    @Test("policy stop: retries with exponential backoff, then marks the projection failed with the error and position")
    func policyStop() async throws {
        let store = try TestStore()
        try store.append([0, 1, 2, 3, 4], at: wall)
        let clock = TestClock()
        let log = JitterLog()
        let options = ProjectionOptions(errorPolicy: .stop, maxRetries: 3, backoffBase: .seconds(1), backoffCap: .seconds(3))
        let session = try await makeRunner(store, projections: [Recorder(options: options, failing: [3])], clock: clock,
                                           wallStart: wall, jitter: log.jitter)
        let task = Task { var s = session; _ = await s.step(); return s }
        for n in 1...3 {
            try await wait(until: "backoff \(n) asked for") { log.values.count == n }
            #expect(try store.status("recorder")?["state"] as String? != "failed")
            await clock.advance(by: log.values[n - 1])
        }
        _ = await task.value
        #expect(log.values == [.seconds(1), .seconds(2), .seconds(3)], "1·2ⁿ capped at 3")
        let status = try #require(try store.status("recorder"))
        #expect(status["state"] as String == "failed")
        #expect(status["last_error_position"] as Int64 == 3)
        #expect((status["last_error"] as String).contains("poison event at 3"))
        #expect(try store.checkpoint("recorder") == nil, "nothing of the failed batch is committed")
        #expect(try Recorder.positions(store) == [])
    }

    @Test("policy skip: retries with backoff, then skips the batch, calls onSkip, counts it and goes on")
    func policySkip() async throws {
        let store = try TestStore()
        try store.append([0, 1, 2, 3, 4], at: wall)
        let clock = TestClock()
        let log = JitterLog()
        let options = ProjectionOptions(errorPolicy: .skip, maxRetries: 2, backoffBase: .milliseconds(500))
        let session = try await makeRunner(store, projections: [Recorder(options: options, failing: [3])], clock: clock,
                                           wallStart: wall, jitter: log.jitter)
        let task = Task { var s = session; _ = await s.step(); return s }
        for n in 1...2 {
            try await wait(until: "backoff \(n) asked for") { log.values.count == n }
            await clock.advance(by: log.values[n - 1])
        }
        var resumed = await task.value
        #expect(log.values == [.milliseconds(500), .seconds(1)])
        #expect(try store.checkpoint("recorder") == 4)
        #expect(try store.rows("SELECT first, last, error FROM skipped") == [["0", "4", "\"poison event at 3\""]])
        let status = try #require(try store.status("recorder"))
        #expect(status["state"] as String == "running")
        #expect(status["skipped_batches"] as Int64 == 1)
        #expect(status["last_error_position"] as Int64 == 3)
        try store.append([5, 6], at: wall)
        try await drive(&resumed, clock) { _ in try store.checkpoint("recorder") == 6 }
        let after = try Recorder.positions(store)
        #expect(after == [5, 6])
    }

    // Acceptance 8: polling
    @Test("adaptive polling: 0.5 s after work, one second more per idle cycle, up to 5 s")
    func adaptivePolling() async throws {
        var schedule = PollSchedule()
        #expect(schedule.next(after: .fullBatch) == .zero)
        #expect(schedule.next(after: .someWork) == .milliseconds(500))
        #expect((1...6).map { _ in schedule.next(after: .idle) } == [1.5, 2.5, 3.5, 4.5, 5, 5].map { Duration.seconds($0) })
        #expect(schedule.next(after: .someWork) == .milliseconds(500))

        let store = try TestStore()
        try store.append([0, 1], at: wall)
        let clock = TestClock()
        var session = try await makeRunner(store, projections: [Recorder()], clock: clock, wallStart: wall,
                                           leaseTTL: .seconds(600), commandPoll: .seconds(3600))
        var waits: [Duration] = []
        for _ in 0..<6 {
            let wait = await session.step()
            waits.append(wait)
            await clock.advance(by: wait)
        }
        #expect(waits == [0.5, 1.5, 2.5, 3.5, 4.5, 5].map { Duration.seconds($0) })
    }

    @Test("a request for an unknown projection is rejected with the reason; one for a projection nobody here serves stays pending")
    func commandPickup() async throws {
        let store = try TestStore()
        try store.append([0], at: wall)
        let unknown = try store.request("no_such_projection")
        let unserved = try store.request("order_history")
        let clock = TestClock()
        var session = try await makeRunner(store, projections: [Recorder()], clock: clock, wallStart: wall, known: ["order_history"])
        _ = await session.step()
        let rejected = try store.command(unknown)
        #expect(rejected.status == "rejected")
        #expect(rejected.detail?.contains("no projection named no_such_projection") == true)
        #expect(try store.command(unserved).status == "pending")
    }

    @Test("shutdown marks the projection stopped and releases its lease; cancelling run() does the same")
    func shutdownReleases() async throws {
        let store = try TestStore()
        try store.append([0, 1], at: wall)
        let clock = TestClock()
        let backend = try SQLiteRunnerBackend(path: store.path)
        let runner = ProjectionRunner(backend: backend, projections: [Recorder()],
                                      configuration: RunnerConfiguration(holderId: "graceful"), clock: clock, wallStart: wall)
        let task = Task { try await runner.run() }
        try await wait(until: "the runner holds the lease and processed the events") {
            (try? store.leaseHolder("recorder")) == "graceful" && (try? store.checkpoint("recorder")) == 1
        }
        task.cancel()
        try await task.value
        #expect(try store.leaseHolder("recorder") == nil)
        #expect(try store.status("recorder")?["state"] as String? == "stopped")
    }

    @Test("full jitter stays within 0...min(cap, base·2ⁿ)")
    func fullJitterBounds() throws {
        let options = ProjectionOptions(backoffBase: .milliseconds(500), backoffCap: .seconds(30))
        #expect((0..<8).map { options.backoffCeiling(attempt: $0) }
                == [0.5, 1, 2, 4, 8, 16, 30, 30].map { Duration.seconds($0) })
        let store = try TestStore()
        let backend = try SQLiteRunnerBackend(path: store.path)
        let runner = ProjectionRunner(backend: backend, projections: [Recorder()], configuration: RunnerConfiguration(holderId: "j"),
                                      clock: TestClock())
        for attempt in 0..<8 {
            let ceiling = options.backoffCeiling(attempt: attempt)
            let waits = (0..<50).map { _ in runner.jitter(ceiling) }
            #expect(waits.allSatisfy { $0 >= .zero && $0 <= ceiling })
        }
    }

    @Test("values of any type in any column are projected, never a crash; a lease whose expiry is not a time counts as expired")
    func hostileValues() async throws {
        let store = try TestStore()
        try store.append([0], at: wall)
        try await store.queue.write { db in
            // SQLite keeps what it is given: a blob of data, a number as the type, a word as the timestamp.
            try db.execute(sql: "INSERT INTO es_events VALUES (1, X'00FF', 's-1', 42, 1, X'C328', 3.5, 'yesterday', 'x', 'k-1')")
            try db.execute(sql: "INSERT INTO es_projection_leases VALUES ('event_counter', 'ghost', NULL, NULL, 'never')")
        }
        let clock = TestClock()
        var session = try await makeRunner(store, projections: [EventCounter()], clock: clock, wallStart: wall)
        try await drive(&session, clock) { _ in try store.checkpoint("event_counter") == 1 }
        #expect(try store.counts() == [["\"s-1\"", "\"42\"", "1", "1"], ["\"s-1\"", "\"Happened\"", "1", "0"]])
        #expect(try store.leaseHolder("event_counter") == "runner-test")
    }
}
