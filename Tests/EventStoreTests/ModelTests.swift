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

    func status(checkpoint: GlobalPosition, pending: Int64, next: GlobalPosition?, updatedSecondsAgo: Double,
                lease: Lease? = nil) -> ProjectionStatus.State {
        let cp = Checkpoint(projectionName: "p", position: checkpoint, updatedAt: now.adding(seconds: -updatedSecondsAgo).iso8601, createdAt: nil)
        return ProjectionStatus(checkpoint: cp, head: 100, pending: PendingCount(count: pending, isCapped: false),
                                nextVisible: next, lease: lease, now: now).state
    }

    func lease(expiresIn seconds: Double) -> Lease {
        Lease(projectionName: "p", holderId: "w", acquiredAt: nil, renewedAt: nil, expiresAt: now.adding(seconds: seconds).iso8601)
    }

    @Test func words() {
        #expect(status(checkpoint: 90, pending: 0, next: nil, updatedSecondsAgo: 3_600) == .caughtUp)
        #expect(status(checkpoint: 50, pending: 40, next: 51, updatedSecondsAgo: 1) == .catchingUp)
        #expect(status(checkpoint: 50, pending: 40, next: 51, updatedSecondsAgo: 600) == .stalled)
        #expect(status(checkpoint: 50, pending: 40, next: 53, updatedSecondsAgo: 30) == .blockedByGap)
        // A gap younger than the timeout may still fill: not blocked yet.
        #expect(status(checkpoint: 50, pending: 40, next: 53, updatedSecondsAgo: 2) == .catchingUp)
        #expect(status(checkpoint: -1, pending: 90, next: 0, updatedSecondsAgo: 1, lease: lease(expiresIn: 20)) == .rebuilding)
        #expect(status(checkpoint: 90, pending: 0, next: nil, updatedSecondsAgo: 1, lease: lease(expiresIn: -5)) == .leaseExpired)
        #expect(status(checkpoint: 90, pending: 0, next: nil, updatedSecondsAgo: 1, lease: lease(expiresIn: 5)) == .caughtUp)
    }

    @Test func blockingGapsLieBetweenCheckpointAndNextVisible() {
        let cp = Checkpoint(projectionName: "p", position: 9, updatedAt: now.iso8601, createdAt: nil)
        let s = ProjectionStatus(checkpoint: cp, head: 30, pending: PendingCount(count: 5, isCapped: false), nextVisible: 14,
                                 lease: nil, now: now)
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
