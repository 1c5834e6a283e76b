import EventStore
import GRDB
import ProjectionRunner

/// Counts events per type per stream into `demo_event_counts`: the demo's counter projection, the
/// one the runner's tests and benchmark rebuild.
public struct EventCounter: Projection {
    public typealias Transaction = Database
    public static let table = "demo_event_counts"

    public let name: String
    public let eventTypes: Set<String>?
    public let options: ProjectionOptions

    public init(name: String = "event_counter", eventTypes: Set<String>? = nil, options: ProjectionOptions = ProjectionOptions()) {
        self.name = name
        self.eventTypes = eventTypes
        self.options = options
    }

    /// The read model's table: one per projection name, so two counters never share rows.
    public var table: String { name == "event_counter" ? Self.table : "demo_event_counts_\(name)" }

    public func apply(_ batch: [RecordedEvent], in db: Database) throws {
        try createTable(db)
        var counts: [Key: (count: Int64, last: GlobalPosition)] = [:]
        for event in batch {
            let key = Key(stream: event.streamId, type: event.eventType)
            let old = counts[key] ?? (0, -1)
            counts[key] = (old.count + 1, max(old.last, event.globalPosition))
        }
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO \(table.quotedDatabaseIdentifier) (stream_id, event_type, events, last_position) VALUES (?, ?, ?, ?)
            ON CONFLICT (stream_id, event_type) DO UPDATE SET events = events + excluded.events,
              last_position = MAX(last_position, excluded.last_position)
            """)
        for (key, value) in counts {
            try upsert.execute(arguments: [key.stream, key.type, value.count, value.last])
        }
    }

    public func teardown(in db: Database) throws {
        try db.execute(sql: "DROP TABLE IF EXISTS \(table.quotedDatabaseIdentifier)")
        try createTable(db)
    }

    func createTable(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS \(table.quotedDatabaseIdentifier) (stream_id TEXT NOT NULL, event_type TEXT NOT NULL,
              events INTEGER NOT NULL, last_position INTEGER NOT NULL, PRIMARY KEY (stream_id, event_type))
            """)
    }

    struct Key: Hashable {
        var stream: String
        var type: String
    }

    /// The read model, sorted: what tests compare.
    public static func rows(in db: Database, table: String = Self.table) throws -> [[String]] {
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?)", arguments: [table])! else { return [] }
        return try Row.fetchAll(db, sql: "SELECT stream_id, event_type, events, last_position FROM \(table.quotedDatabaseIdentifier) ORDER BY 1, 2")
            .map { row in (0..<4).map { String(describing: row[$0] as DatabaseValue) } }
    }
}
