import EventStore
import GRDB
import ProjectionRunner

/// The latest state of each order, from the order events only. Policy `skip`: the demo's live
/// writer appends one poison event it cannot read; after its retries the batch is skipped, counted
/// in its status row and recorded in `demo_order_summary_skips`, and the projection goes on.
public struct OrderSummary: Projection {
    public typealias Transaction = Database
    public static let name = "order_summary"
    public static let eventTypes: Set<String> = ["OrderPlaced", "OrderPaid", "OrderShipped", "OrderCancelled"]
    public let name: String = Self.name
    public let eventTypes: Set<String>? = Self.eventTypes
    public let options: ProjectionOptions

    public init(options: ProjectionOptions = ProjectionOptions()) { self.options = Self.options(options) }

    /// Policy `skip`, with at most two retries (both engines).
    static func options(_ options: ProjectionOptions) -> ProjectionOptions {
        var options = options
        options.errorPolicy = .skip
        options.maxRetries = min(options.maxRetries, 2)
        return options
    }

    /// The order's status an event records (`placed` of `OrderPlaced`); throws on the poison event.
    static func status(of event: RecordedEvent) throws -> String {
        if event.data.contains("\"poison\"") { throw Unreadable(position: event.globalPosition) }
        return event.eventType.dropFirst("Order".count).lowercased()
    }

    /// What the projection throws on the poison event: names its position.
    public struct Unreadable: PositionedError, CustomStringConvertible {
        public let position: GlobalPosition
        public var description: String { "order_summary cannot read the payload of event \(position) (poison)" }
    }

    public func apply(_ batch: [RecordedEvent], in db: Database) throws {
        try create(db)
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO demo_order_summary (stream_id, status, events, last_position) VALUES (?, ?, 1, ?)
            ON CONFLICT (stream_id) DO UPDATE SET status = excluded.status, events = events + 1, last_position = excluded.last_position
            """)
        for event in batch {
            try upsert.execute(arguments: [event.streamId, try Self.status(of: event), event.globalPosition])
        }
    }

    public func teardown(in db: Database) throws {
        try db.execute(sql: "DROP TABLE IF EXISTS demo_order_summary")
        try db.execute(sql: "DROP TABLE IF EXISTS demo_order_summary_skips")
    }

    public func onSkip(_ batch: [RecordedEvent], error: any Error, in db: Database) throws {
        try create(db)
        try db.execute(sql: "INSERT INTO demo_order_summary_skips (first_position, last_position, error) VALUES (?, ?, ?)",
                       arguments: [batch.first?.globalPosition, batch.last?.globalPosition, String(describing: error)])
    }

    func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS demo_order_summary (stream_id TEXT PRIMARY KEY, status TEXT NOT NULL,
              events INTEGER NOT NULL, last_position INTEGER NOT NULL)
            """)
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS demo_order_summary_skips (first_position INTEGER, last_position INTEGER, error TEXT NOT NULL)
            """)
    }
}

/// Events per type per hour of their timestamp (`demo_type_hours`). Its gap timeout is long
/// (30 s at least), so each position the live writer burns holds it visibly `blocked-by-gap` in the
/// explorer until the timeout passes.
public struct TypeHours: Projection {
    public typealias Transaction = Database
    public static let name = "type_hours"
    public let name: String = Self.name
    public let options: ProjectionOptions

    public init(options: ProjectionOptions = ProjectionOptions()) { self.options = Self.options(options) }

    /// A gap timeout of 30 s at least (both engines).
    static func options(_ options: ProjectionOptions) -> ProjectionOptions {
        var options = options
        options.gapTimeout = max(options.gapTimeout, .seconds(30))
        return options
    }

    /// The hour as stored ("2026-12-06T03" of an ISO time); events with an unreadable time count under `unreadable`.
    static func hour(of event: RecordedEvent) -> String {
        event.timestamp.timestamp.map { String($0.iso8601.prefix(13)) } ?? "unreadable"
    }

    public func apply(_ batch: [RecordedEvent], in db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS demo_type_hours (hour TEXT NOT NULL, event_type TEXT NOT NULL, events INTEGER NOT NULL,
              PRIMARY KEY (hour, event_type))
            """)
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO demo_type_hours (hour, event_type, events) VALUES (?, ?, 1)
            ON CONFLICT (hour, event_type) DO UPDATE SET events = events + 1
            """)
        for event in batch {
            try upsert.execute(arguments: [Self.hour(of: event), event.eventType])
        }
    }

    public func teardown(in db: Database) throws {
        try db.execute(sql: "DROP TABLE IF EXISTS demo_type_hours")
    }
}
