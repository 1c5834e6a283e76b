import EventStore
import PostgresNIO
import ProjectionRunner
import ProjectionRunnerPostgres

/// The demo's projections on PostgreSQL: the same read models as on SQLite (`EventCounter`,
/// `StreamDirectory`), written as upserts the backend sends with the checkpoint in one transaction.
public enum PostgresDemoProjections {
    public static func all(options: ProjectionOptions = ProjectionOptions()) -> [any Projection<PostgresWrites>] {
        [PostgresEventCounter(options: options)]
            + DemoProjections.directories.map { PostgresStreamDirectory(name: $0.name, eventTypes: $0.eventTypes, options: options) }
    }
}

/// Visible events per stream and type, and the last position of each: `demo_event_counts`.
public struct PostgresEventCounter: Projection {
    public typealias Transaction = PostgresWrites
    public let name = "event_counter"
    public let options: ProjectionOptions

    public init(options: ProjectionOptions = ProjectionOptions()) { self.options = options }

    static let create = """
        CREATE TABLE IF NOT EXISTS demo_event_counts (stream_id TEXT NOT NULL, event_type TEXT NOT NULL,
          events BIGINT NOT NULL, last_position BIGINT NOT NULL, PRIMARY KEY (stream_id, event_type))
        """

    public func apply(_ batch: [RecordedEvent], in tx: PostgresWrites) throws {
        tx.execute(PostgresQuery(unsafeSQL: Self.create))
        var counts: [String: [String: (count: Int64, last: GlobalPosition)]] = [:]
        for event in batch {
            let old = counts[event.streamId]?[event.eventType] ?? (0, -1)
            counts[event.streamId, default: [:]][event.eventType] = (old.count + 1, max(old.last, event.globalPosition))
        }
        for (stream, types) in counts {
            for (type, value) in types {
                tx.execute("""
                    INSERT INTO demo_event_counts (stream_id, event_type, events, last_position) VALUES (\(stream), \(type), \(value.count), \(value.last))
                    ON CONFLICT (stream_id, event_type) DO UPDATE SET events = demo_event_counts.events + EXCLUDED.events,
                      last_position = GREATEST(demo_event_counts.last_position, EXCLUDED.last_position)
                    """)
            }
        }
    }

    public func teardown(in tx: PostgresWrites) throws {
        tx.execute("DROP TABLE IF EXISTS demo_event_counts")
        tx.execute(PostgresQuery(unsafeSQL: Self.create))
    }
}

/// The latest facts of each stream of some categories (`demo_NAME`), taking only its own types.
public struct PostgresStreamDirectory: Projection {
    public typealias Transaction = PostgresWrites
    public let name: String
    public let eventTypes: Set<String>?
    public let options: ProjectionOptions

    public init(name: String, eventTypes: Set<String>, options: ProjectionOptions = ProjectionOptions()) {
        self.name = name
        self.eventTypes = eventTypes
        self.options = options
    }

    /// The table's name, quoted; the name is one of this module's own, never input.
    var table: String { "\"demo_\(name)\"" }

    public func apply(_ batch: [RecordedEvent], in tx: PostgresWrites) throws {
        tx.execute(PostgresQuery(unsafeSQL: """
            CREATE TABLE IF NOT EXISTS \(table) (stream_id TEXT PRIMARY KEY, last_event TEXT NOT NULL,
              events BIGINT NOT NULL, last_position BIGINT NOT NULL, last_data TEXT)
            """))
        for event in batch {
            var binds = PostgresBindings()
            binds.append(event.streamId)
            binds.append(event.eventType)
            binds.append(event.globalPosition)
            binds.append(event.data)
            tx.execute(PostgresQuery(unsafeSQL: """
                INSERT INTO \(table) (stream_id, last_event, events, last_position, last_data) VALUES ($1, $2, 1, $3, $4)
                ON CONFLICT (stream_id) DO UPDATE SET last_event = EXCLUDED.last_event, events = \(table).events + 1,
                  last_position = EXCLUDED.last_position, last_data = EXCLUDED.last_data
                """, binds: binds))
        }
    }

    public func teardown(in tx: PostgresWrites) throws {
        tx.execute(PostgresQuery(unsafeSQL: "DROP TABLE IF EXISTS \(table)"))
    }
}
