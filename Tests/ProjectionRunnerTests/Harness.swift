import Clocks
import DemoProjections
import EventStore
import Foundation
import GRDB
import Logging
import ProjectionRunner
import ProjectionRunnerSQLite
import Synchronization
import TestSupport

/// A waku store in a temporary directory, written by the test, with events stamped by the test's wall time.
struct TestStore {
    let directory = TemporaryDirectory("eventscope-runner")
    let path: String
    let queue: DatabaseQueue

    init(existing path: String) throws {
        self.path = path
        queue = try DatabaseQueue(path: path)
    }

    init(copying source: String? = nil) throws {
        path = directory.file("store.db")
        if let source {
            try FileManager.default.copyItem(atPath: source, toPath: path)
            queue = try DatabaseQueue(path: path)
        } else {
            queue = try DatabaseQueue(path: path)
            try queue.write { db in for ddl in WakuSchema.sqliteDDL { try db.execute(sql: ddl) } }
        }
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
    }

    /// Appends events at `positions` to stream `s-1` (created when missing), stamped `time`.
    func append(_ positions: [GlobalPosition], type: String = "Happened", stream: String = "s-1", at time: Timestamp) throws {
        try queue.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO es_streams VALUES (?, 's', -1, ?, ?, NULL)", arguments: [stream, time.iso8601, time.iso8601])
            for p in positions {
                let version = (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(position), -1) FROM es_events WHERE stream_id = ?", arguments: [stream]) ?? -1) + 1
                try db.execute(sql: WakuSchema.insertEvent, arguments: [p, "ev-\(p)", stream, type, version, "{}", "{}", time.iso8601, 1, "k-\(p)"])
            }
        }
    }

    func request(_ projection: String, command: String = "rebuild") throws -> Int64 {
        try queue.write { db in
            try db.execute(sql: RunnerSchema.sqliteCommandsDDL)
            try db.execute(sql: "INSERT INTO es_projection_commands (projection_name, command, requested_by, requested_at) VALUES (?, ?, 'test', ?)",
                           arguments: [projection, command, Timestamp.now().iso8601])
            return db.lastInsertedRowID
        }
    }

    func command(_ id: Int64) throws -> (status: String, detail: String?) {
        try queue.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT status, detail FROM es_projection_commands WHERE id = ?", arguments: [id])!
            return (row[0], row[1])
        }
    }

    func status(_ projection: String) throws -> Row? {
        try queue.read { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?)", arguments: ["es_projection_status"])! else { return nil }
            return try Row.fetchOne(db, sql: "SELECT * FROM es_projection_status WHERE projection_name = ?", arguments: [projection])
        }
    }

    func checkpoint(_ projection: String) throws -> GlobalPosition? {
        try queue.read { db in try GlobalPosition.fetchOne(db, sql: "SELECT position FROM es_checkpoints WHERE projection_name = ?", arguments: [projection]) }
    }

    func leaseHolder(_ projection: String) throws -> String? {
        try queue.read { db in try String.fetchOne(db, sql: "SELECT holder_id FROM es_projection_leases WHERE projection_name = ?", arguments: [projection]) }
    }

    func rows(_ sql: String) throws -> [[String]] {
        try queue.read { db in
            try Row.fetchAll(db, sql: sql).map { row in row.databaseValues.map { String(describing: $0) } }
        }
    }

    /// The counter read model as it must be: visible events per stream and type, by brute force.
    func expectedCounts() throws -> [[String]] {
        try rows("""
            SELECT e.stream_id, e.event_type, COUNT(*), MAX(e.global_position) FROM es_events e
            WHERE EXISTS (SELECT 1 FROM es_streams s WHERE s.stream_id = e.stream_id AND s.deleted_at IS NULL)
            GROUP BY 1, 2 ORDER BY 1, 2
            """)
    }

    func counts(table: String = EventCounter.table) throws -> [[String]] {
        try queue.read { db in try EventCounter.rows(in: db, table: table) }
    }
}

/// Records the positions it is given (in `recorded`) and fails on the positions named.
struct Recorder: Projection {
    typealias Transaction = Database
    struct Poison: PositionedError, CustomStringConvertible {
        let position: GlobalPosition
        var description: String { "poison event at \(position)" }
    }

    let name: String
    let options: ProjectionOptions
    let failing: Set<GlobalPosition>

    init(name: String = "recorder", options: ProjectionOptions = ProjectionOptions(), failing: Set<GlobalPosition> = []) {
        self.name = name
        self.options = options
        self.failing = failing
    }

    func apply(_ batch: [RecordedEvent], in db: Database) throws {
        try db.execute(sql: "CREATE TABLE IF NOT EXISTS recorded (seq INTEGER PRIMARY KEY AUTOINCREMENT, position INTEGER NOT NULL)")
        for event in batch {
            if failing.contains(event.globalPosition) { throw Poison(position: event.globalPosition) }
            try db.execute(sql: "INSERT INTO recorded (position) VALUES (?)", arguments: [event.globalPosition])
        }
    }

    func teardown(in db: Database) throws {
        try db.execute(sql: "DROP TABLE IF EXISTS recorded")
    }

    func onSkip(_ batch: [RecordedEvent], error: any Error, in db: Database) throws {
        try db.execute(sql: "CREATE TABLE IF NOT EXISTS skipped (first INTEGER, last INTEGER, error TEXT)")
        try db.execute(sql: "INSERT INTO skipped VALUES (?, ?, ?)",
                       arguments: [batch.first!.globalPosition, batch.last!.globalPosition, String(describing: error)])
    }

    static func positions(_ store: TestStore) throws -> [GlobalPosition] {
        try store.queue.read { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?)", arguments: ["recorded"])! else { return [] }
            return try GlobalPosition.fetchAll(db, sql: "SELECT position FROM recorded ORDER BY seq")
        }
    }
}

typealias TestRunner = ProjectionRunner<SQLiteRunnerBackend, TestClock<Duration>>
typealias TestSession = RunnerSession<SQLiteRunnerBackend, TestClock<Duration>>

/// Builds a runner on `store` with a test clock; `wallStart` is the wall time at the clock's start.
func makeRunner(_ store: TestStore, projections: [any Projection<Database>], clock: TestClock<Duration>, wallStart: Timestamp,
                holder: String = "runner-test", leaseTTL: Duration = .seconds(30), commandPoll: Duration = .seconds(1),
                known: Set<String> = [], jitter: @escaping @Sendable (Duration) -> Duration = { $0 }) async throws -> TestSession {
    let backend = try SQLiteRunnerBackend(path: store.path)
    try await backend.prepare()
    var logger = Logger(label: "test.runner")
    logger.logLevel = ProcessInfo.processInfo.environment["RUNNER_TEST_LOG"] == nil ? .critical : .debug
    let runner = ProjectionRunner(backend: backend, projections: projections,
                                  configuration: RunnerConfiguration(holderId: holder, leaseTTL: leaseTTL, commandPoll: commandPoll,
                                                                     knownProjections: known),
                                  clock: clock, wallStart: wallStart, logger: logger, jitter: jitter)
    return RunnerSession(runner: runner)
}

/// Steps the session, moving the test clock by each wait it asks for, until `done` holds; fails
/// after `limit` steps. Returns the virtual seconds that passed.
@discardableResult
func drive(_ session: inout TestSession, _ clock: TestClock<Duration>, limit: Int = 10_000,
           until done: (TestSession) throws -> Bool) async throws -> Double {
    let start = clock.now
    for _ in 0..<limit {
        let wait = await session.step()
        if try done(session) { return start.duration(to: clock.now).seconds }
        await clock.advance(by: wait)
    }
    throw DriveLimit(steps: limit, seen: (try? Recorder.positions(TestStore(existing: session.runner.backend.path))) ?? [])
}

/// Steps the session until the clock has moved by `duration` (never past it).
func drive(_ session: inout TestSession, _ clock: TestClock<Duration>, for duration: Duration) async {
    let end = clock.now.advanced(by: duration)
    while clock.now < end {
        let wait = await session.step()
        await clock.advance(by: min(max(wait, .milliseconds(1)), clock.now.duration(to: end)))
    }
}

/// Ceilings the runner asked jitter for, in order.
final class JitterLog: Sendable {
    let asked = Mutex<[Duration]>([])
    var values: [Duration] { asked.withLock { $0 } }
    var jitter: @Sendable (Duration) -> Duration {
        { ceiling in self.asked.withLock { $0.append(ceiling) }; return ceiling }
    }
}

struct DriveLimit: Error, CustomStringConvertible {
    let steps: Int
    let seen: [GlobalPosition]
    var description: String { "the runner did not get there in \(steps) steps (recorded \(seen))" }
}

/// How long a test waits in real time for work another task does: long, since all test targets
/// share one process and two threads, and a loaded CI machine may take minutes; only a failure
/// waits that long.
let loadedMachine: Duration = .seconds(600)

/// Advances the test clock by `step` until `done` holds. One advance is not enough when the task
/// under test has not gone to sleep yet: a sleep registered after the advance waits for the next one.
func advance(_ clock: TestClock<Duration>, by step: Duration, until done: @escaping () -> Bool) async throws {
    try await wait(until: "the clock's advance is seen", timeout: loadedMachine, every: .milliseconds(50)) {
        if done() { return true }
        await clock.advance(by: step)
        return done()
    }
}
