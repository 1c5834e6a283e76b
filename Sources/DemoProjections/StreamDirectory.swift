import EventStore
import GRDB
import ProjectionRunner

/// A read model that keeps the latest facts of each stream of some categories: the demo's customer
/// directory and shipment tracking. It takes only its own event types.
public struct StreamDirectory: Projection {
    public typealias Transaction = Database

    public let name: String
    public let eventTypes: Set<String>?
    public let options: ProjectionOptions

    public init(name: String, eventTypes: Set<String>, options: ProjectionOptions = ProjectionOptions()) {
        self.name = name
        self.eventTypes = eventTypes
        self.options = options
    }

    var table: String { "demo_\(name)" }

    public func apply(_ batch: [RecordedEvent], in db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS \(table.quotedDatabaseIdentifier) (stream_id TEXT PRIMARY KEY, last_event TEXT NOT NULL,
              events INTEGER NOT NULL, last_position INTEGER NOT NULL, last_data TEXT)
            """)
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO \(table.quotedDatabaseIdentifier) (stream_id, last_event, events, last_position, last_data) VALUES (?, ?, 1, ?, ?)
            ON CONFLICT (stream_id) DO UPDATE SET last_event = excluded.last_event, events = events + 1,
              last_position = excluded.last_position, last_data = excluded.last_data
            """)
        for event in batch {
            try upsert.execute(arguments: [event.streamId, event.eventType, event.globalPosition, event.data])
        }
    }

    public func teardown(in db: Database) throws {
        try db.execute(sql: "DROP TABLE IF EXISTS \(table.quotedDatabaseIdentifier)")
    }
}
