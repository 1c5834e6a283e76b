import EventStore
import Foundation
import GRDB

/// Plays the runner's part in tests that have no runner: creates the runner's tables in a store and
/// writes its status rows and its answers to requests, as `RunnerSchema` describes them.
public struct RunnerStandIn {
    public let path: String
    let queue: DatabaseQueue

    /// Opens `path` (an existing store) and creates the runner's tables unless `createTables` is false.
    public init(path: String, createTables: Bool = true) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        queue = try DatabaseQueue(path: path, configuration: configuration)
        if createTables {
            try queue.write { db in
                for ddl in [RunnerSchema.sqliteStatusDDL, RunnerSchema.sqliteCommandsDDL, RunnerSchema.sqliteCommandsIndexDDL] {
                    try db.execute(sql: ddl)
                }
            }
        }
    }

    /// Writes (or replaces) a projection's status row.
    public func status(_ name: String, state: String, holder: String? = "runner-1", checkpoint: GlobalPosition? = nil,
                       eventTypes: [String]? = nil, eventsPerSecond: Double? = nil, lastError: String? = nil,
                       lastErrorPosition: GlobalPosition? = nil, skippedBatches: Int64 = 0, rebuildTarget: GlobalPosition? = nil,
                       at time: Timestamp = .now()) throws {
        let types = eventTypes.map { JSONValue.array($0.map(JSONValue.string)).compact }
        try queue.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO es_projection_status (projection_name, state, holder_id, heartbeat_at, checkpoint, event_types,
                  events_per_second, last_error, last_error_position, skipped_batches, rebuild_target, rebuild_started_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [name, state, holder, time.iso8601, checkpoint, types, eventsPerSecond, lastError, lastErrorPosition,
                                 skippedBatches, rebuildTarget, rebuildTarget == nil ? nil : time.iso8601, time.iso8601])
        }
    }

    /// Files a request as the request connection would, for tests that need one without it.
    @discardableResult
    public func request(_ projection: String, by who: String = "ops@test", status: String = "pending",
                        at time: Timestamp = Timestamp(microseconds: 1_795_000_000_000_000)) throws -> Int64 {
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO es_projection_commands (projection_name, command, requested_by, requested_at, status) VALUES (?, 'rebuild', ?, ?, ?)
                """, arguments: [projection, who, time.iso8601, status])
            return db.lastInsertedRowID
        }
    }

    /// Moves request `id` on, as the runner does: `running` stamps `started_at`, a final status `finished_at`.
    public func answer(_ id: Int64, status: String, detail: String? = nil, at time: Timestamp = .now()) throws {
        try queue.write { db in
            let final = ["done", "failed", "rejected"].contains(status)
            try db.execute(sql: """
                UPDATE es_projection_commands SET status = ?, detail = ?,
                  started_at = COALESCE(started_at, ?), finished_at = CASE WHEN ? THEN ? END
                WHERE id = ?
                """, arguments: [status, detail, time.iso8601, final, time.iso8601, id])
        }
    }

    /// Writes a lease row the way waku's lease lock does.
    public func lease(_ name: String, holder: String, expiresAt: Timestamp) throws {
        try queue.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO es_projection_leases VALUES (?, ?, ?, ?, ?)",
                           arguments: [name, holder, Timestamp.now().iso8601, Timestamp.now().iso8601, expiresAt.iso8601])
        }
    }

    public func setCheckpoint(_ name: String, to position: GlobalPosition) throws {
        try queue.write { db in
            try db.execute(sql: "UPDATE es_checkpoints SET position = ?, updated_at = ? WHERE projection_name = ?",
                           arguments: [position, Timestamp.now().iso8601, name])
        }
    }

    /// Runs any SQL: for hostile values no runner would write.
    public func execute(_ sql: String, _ arguments: StatementArguments = []) throws {
        try queue.write { db in try db.execute(sql: sql, arguments: arguments) }
    }

    public func close() throws { try queue.close() }
}
