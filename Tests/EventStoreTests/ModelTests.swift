import EventStore
import Testing

@Suite struct GapTests {
    @Test func mergeKeepsOrderAndKinds() {
        let missing = [Gap(from: 3, to: 3, kind: .missing), Gap(from: 10, to: 12, kind: .missing)]
        let deleted = [Gap(from: 4, to: 5, kind: .deleted), Gap(from: 20, to: 20, kind: .deleted)]
        #expect(Gap.merge(missing: missing, deleted: deleted).map(\.from) == [3, 4, 10, 20])
        #expect(Gap.merge(missing: [], deleted: deleted) == deleted)
        #expect(Gap(from: 10, to: 12, kind: .missing).length == 3)
    }

    @Test func categoryIsThePartBeforeTheFirstDash() {
        #expect(StreamSummary.category(of: "Account-acc1") == "Account")
        #expect(StreamSummary.category(of: "Order-a-b") == "Order")
        #expect(StreamSummary.category(of: "nodash") == "nodash")
    }
}

@Suite struct ProjectionStatusTests {
    let now = Timestamp(parsing: "2026-11-23T12:00:00Z")!

    /// A projection whose checkpoint was written `updatedSecondsAgo`, whose next visible event
    /// (`next`) was committed `nextSecondsAgo`, judged with `tracker`.
    func status(checkpoint: GlobalPosition, pending: Int64, next: GlobalPosition?, updatedSecondsAgo: Double,
                nextSecondsAgo: Double = 0, lease: Lease? = nil, tracker: GapTracker = GapTracker()) -> ProjectionStatus.State {
        let cp = Checkpoint(projectionName: "p", position: checkpoint, updatedAt: .at(now.adding(seconds: -updatedSecondsAgo)), createdAt: nil)
        let progress = ProjectionProgress(checkpoint: cp, lease: lease, pending: PendingCount(count: pending, isCapped: false),
                                          nextVisible: next, nextVisibleTime: next.map { _ in .at(now.adding(seconds: -nextSecondsAgo)) })
        return ProjectionStatus(progress, head: 100, databaseNow: now, gaps: tracker, now: now).state
    }

    func lease(expiresIn seconds: Double) -> Lease {
        Lease(projectionName: "p", holderId: "w", acquiredAt: nil, renewedAt: nil, expiresAt: .at(now.adding(seconds: seconds)))
    }

    @Test func words() {
        #expect(status(checkpoint: 90, pending: 0, next: nil, updatedSecondsAgo: 3_600) == .caughtUp)
        #expect(status(checkpoint: 50, pending: 40, next: 51, updatedSecondsAgo: 1) == .catchingUp)
        #expect(status(checkpoint: 50, pending: 40, next: 51, updatedSecondsAgo: 600, nextSecondsAgo: 600) == .stalled)
        #expect(status(checkpoint: 50, pending: 40, next: 53, updatedSecondsAgo: 30, nextSecondsAgo: 30) == .blockedByGap)
        // A gap younger than the timeout may still fill: not blocked yet.
        #expect(status(checkpoint: 50, pending: 40, next: 53, updatedSecondsAgo: 2, nextSecondsAgo: 2) == .catchingUp)
        #expect(status(checkpoint: -1, pending: 90, next: 0, updatedSecondsAgo: 1, lease: lease(expiresIn: 20)) == .rebuilding)
        #expect(status(checkpoint: 90, pending: 0, next: nil, updatedSecondsAgo: 1, lease: lease(expiresIn: -5)) == .leaseExpired)
        #expect(status(checkpoint: 90, pending: 0, next: nil, updatedSecondsAgo: 1, lease: lease(expiresIn: 5)) == .caughtUp)
    }

    /// Caught up an hour ago, then one event arrives: catching up, not stalled.
    @Test func oneNewEventAfterAnIdleHourIsNotAStall() {
        #expect(status(checkpoint: 90, pending: 1, next: 91, updatedSecondsAgo: 3_600, nextSecondsAgo: 0.05) == .catchingUp)
        // …and a stall is timed from that event's commit.
        #expect(status(checkpoint: 90, pending: 1, next: 91, updatedSecondsAgo: 3_600, nextSecondsAgo: 61) == .stalled)
    }

    /// Caught up an hour ago, then a 50 ms out-of-order gap appears: not blocked by it.
    @Test func aFreshOutOfOrderGapDoesNotBlock() {
        #expect(status(checkpoint: 90, pending: 1, next: 92, updatedSecondsAgo: 3_600, nextSecondsAgo: 0.05) == .catchingUp)
    }

    /// The gap's age comes from the tracker when it has seen the gap, whatever the events say.
    @Test func theTrackersAgeWins() {
        var tracker = GapTracker(timeout: 10)
        tracker.observe([Gap(from: 91, to: 91, kind: .missing)], in: 0...95, head: 80, at: now.adding(seconds: -30))
        #expect(status(checkpoint: 90, pending: 1, next: 92, updatedSecondsAgo: 3_600, nextSecondsAgo: 0, tracker: tracker) == .blockedByGap)
    }

    /// Lease expiry is judged by the database's clock, not the caller's.
    @Test func leaseExpiryUsesTheDatabaseClock() {
        let cp = Checkpoint(projectionName: "p", position: 90, updatedAt: .at(now), createdAt: nil)
        let progress = ProjectionProgress(checkpoint: cp, lease: lease(expiresIn: 5), pending: .zero, nextVisible: nil, nextVisibleTime: nil)
        let databaseAhead = ProjectionStatus(progress, head: 90, databaseNow: now.adding(seconds: 10), gaps: GapTracker(), now: now)
        #expect(databaseAhead.state == .leaseExpired)
        #expect(databaseAhead.leaseExpiresIn == -5)
    }

    /// A projection that takes only some types: its next event of those types lies past events of
    /// other types, which are no gap. Only positions missing from the log right above the
    /// checkpoint are waited on.
    @Test func aFilteredProjectionWaitsOnlyOnPositionsMissingFromTheLog() {
        func progress(nextAny: GlobalPosition) -> ProjectionProgress {
            let cp = Checkpoint(projectionName: "p", position: 10, updatedAt: .at(now.adding(seconds: -30)), createdAt: nil)
            return ProjectionProgress(checkpoint: cp, lease: nil, pending: PendingCount(count: 3, isCapped: false),
                                      nextVisible: 40, nextVisibleTime: .at(now.adding(seconds: -30)),
                                      nextVisibleAnyType: nextAny, nextVisibleAnyTypeTime: .at(now.adding(seconds: -30)))
        }
        let otherTypesFirst = progress(nextAny: 11)
        #expect(otherTypesFirst.waitingRun == nil)
        #expect(ProjectionStatus(otherTypesFirst, head: 50, databaseNow: now, gaps: GapTracker(), now: now).state == .catchingUp)
        #expect(ProjectionSnapshot(head: 50, databaseNow: now, projections: [otherTypesFirst]).waitingRuns.isEmpty)

        let missingFirst = progress(nextAny: 14)
        #expect(missingFirst.waitingRun == Gap(from: 11, to: 13, kind: .missing))
        let blocked = ProjectionStatus(missingFirst, head: 50, databaseNow: now, gaps: GapTracker(), now: now)
        #expect(blocked.state == .blockedByGap)
        let gaps = [Gap(from: 12, to: 12, kind: .missing), Gap(from: 20, to: 22, kind: .missing)]
        #expect(blocked.blockingGaps(in: gaps) == [gaps[0]])
    }

    @Test func blockingGapsLieBetweenCheckpointAndNextVisible() {
        let cp = Checkpoint(projectionName: "p", position: 9, updatedAt: .at(now), createdAt: nil)
        let progress = ProjectionProgress(checkpoint: cp, lease: nil, pending: PendingCount(count: 5, isCapped: false),
                                          nextVisible: 14, nextVisibleTime: .at(now))
        let s = ProjectionStatus(progress, head: 30, databaseNow: now, gaps: GapTracker(), now: now)
        let gaps = [Gap(from: 2, to: 3, kind: .missing), Gap(from: 10, to: 11, kind: .missing),
                    Gap(from: 12, to: 13, kind: .deleted), Gap(from: 20, to: 20, kind: .missing)]
        #expect(s.blockingGaps(in: gaps) == [gaps[1], gaps[2]])
    }
}

@Suite struct StoreLocationTests {
    @Test func forms() throws {
        #expect(try StoreLocation("/data/x.db") == .sqlite(path: "/data/x.db"))
        #expect(try StoreLocation("rel/x.db") == .sqlite(path: "rel/x.db"))
        #expect(try StoreLocation("sqlite:///data/x.db") == .sqlite(path: "/data/x.db"))
        #expect(throws: StoreError.self) { try StoreLocation("sqlite://relative.db") }
        #expect(throws: StoreError.self) { try StoreLocation("mysql://h/db") }
        #expect(throws: StoreError.self) { try StoreLocation("") }
    }

    @Test func passwordsAreRedacted() throws {
        #expect(try StoreLocation("postgres://ops:s3cr3t@db.internal:5432/events?sslmode=require").description
            == "postgres://ops:***@db.internal:5432/events?sslmode=require")
        #expect(try StoreLocation("postgres://ops@db/events").description == "postgres://ops@db/events")
        #expect(StoreLocation.redacted("postgresql://u:p:q@h/d") == "postgresql://u:***@h/d")
        // Passwords holding '/' or '?', and passwords in the query string.
        #expect(StoreLocation.redacted("postgres://u:pa/ss@h/db") == "postgres://u:***@h/db")
        #expect(StoreLocation.redacted("postgres://u:p?ss@h/db") == "postgres://u:***@h/db")
        #expect(StoreLocation.redacted("postgres://u@h/db?password=hunter2&sslmode=require")
            == "postgres://u@h/db?password=***&sslmode=require")
        #expect(StoreLocation.redacted("postgres://u@h/db?PASSWORD=x") == "postgres://u@h/db?PASSWORD=***")
    }
}
