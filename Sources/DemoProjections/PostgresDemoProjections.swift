import EventStore
import PostgresNIO
import ProjectionRunner
import ProjectionRunnerPostgres

/// The demo's projections on PostgreSQL: the same read models and options as on SQLite
/// (`DemoProjections.all`), written as upserts the backend sends with the checkpoint in one transaction.
public enum PostgresDemoProjections {
    public static func all(options: ProjectionOptions = ProjectionOptions()) -> [any Projection<PostgresWrites>] {
        [PostgresEventCounter(options: options), PostgresAccountBalances(options: options)]
            + DemoProjections.directories.map {
                PostgresStreamDirectory(name: $0.name, eventTypes: $0.eventTypes, options: DemoProjections.directoryOptions($0.name, options))
            }
            + [PostgresOrderSummary(options: options), PostgresTypeHours(options: options)]
    }
}

/// `AccountBalances` on PostgreSQL: `demo_account_balances`, the balance per account stream in cents.
public struct PostgresAccountBalances: Projection {
    public typealias Transaction = PostgresWrites
    public let name: String = AccountBalances.name
    public let eventTypes: Set<String>? = AccountBalances.eventTypes
    public let options: ProjectionOptions

    public init(options: ProjectionOptions = ProjectionOptions()) { self.options = options }

    public func apply(_ batch: [RecordedEvent], in tx: PostgresWrites) throws {
        tx.execute("""
            CREATE TABLE IF NOT EXISTS demo_account_balances (stream_id TEXT PRIMARY KEY, balance_cents BIGINT NOT NULL,
              deposits BIGINT NOT NULL, withdrawals BIGINT NOT NULL, unreadable BIGINT NOT NULL, last_position BIGINT NOT NULL)
            """)
        let changes = AccountChange.changes(in: batch)
        guard !changes.isEmpty else { return }
        // One statement for the batch: a round trip per account would cost more than the work.
        tx.execute("""
                INSERT INTO demo_account_balances (stream_id, balance_cents, deposits, withdrawals, unreadable, last_position)
                SELECT * FROM unnest(\(changes.map(\.stream))::text[], \(changes.map(\.change.cents))::int8[],
                  \(changes.map(\.change.deposits))::int8[], \(changes.map(\.change.withdrawals))::int8[],
                  \(changes.map(\.change.unreadable))::int8[], \(changes.map(\.change.lastPosition))::int8[])
                ON CONFLICT (stream_id) DO UPDATE SET balance_cents = demo_account_balances.balance_cents + EXCLUDED.balance_cents,
                  deposits = demo_account_balances.deposits + EXCLUDED.deposits,
                  withdrawals = demo_account_balances.withdrawals + EXCLUDED.withdrawals,
                  unreadable = demo_account_balances.unreadable + EXCLUDED.unreadable,
                  last_position = GREATEST(demo_account_balances.last_position, EXCLUDED.last_position)
                """)
    }

    public func teardown(in tx: PostgresWrites) throws {
        tx.execute("DROP TABLE IF EXISTS demo_account_balances")
    }
}

/// `OrderSummary` on PostgreSQL: the latest status of each order, policy `skip`, its skipped
/// batches in `demo_order_summary_skips`.
public struct PostgresOrderSummary: Projection {
    public typealias Transaction = PostgresWrites
    public let name: String = OrderSummary.name
    public let eventTypes: Set<String>? = OrderSummary.eventTypes
    public let options: ProjectionOptions

    public init(options: ProjectionOptions = ProjectionOptions()) { self.options = OrderSummary.options(options) }

    public func apply(_ batch: [RecordedEvent], in tx: PostgresWrites) throws {
        create(tx)
        // Per order: the batch's last status, its events and last position (a batch is in log order).
        var orders: [String: (status: String, events: Int64, last: GlobalPosition)] = [:]
        for event in batch {
            let status = try OrderSummary.status(of: event)
            orders[event.streamId] = (status, (orders[event.streamId]?.events ?? 0) + 1, event.globalPosition)
        }
        let rows = orders.sorted { $0.key < $1.key }
        guard !rows.isEmpty else { return }
        tx.execute("""
            INSERT INTO demo_order_summary (stream_id, status, events, last_position)
            SELECT * FROM unnest(\(rows.map(\.key))::text[], \(rows.map(\.value.status))::text[], \(rows.map(\.value.events))::int8[],
              \(rows.map(\.value.last))::int8[])
            ON CONFLICT (stream_id) DO UPDATE SET status = EXCLUDED.status, events = demo_order_summary.events + EXCLUDED.events,
              last_position = EXCLUDED.last_position
            """)
    }

    public func teardown(in tx: PostgresWrites) throws {
        tx.execute("DROP TABLE IF EXISTS demo_order_summary")
        tx.execute("DROP TABLE IF EXISTS demo_order_summary_skips")
    }

    public func onSkip(_ batch: [RecordedEvent], error: any Error, in tx: PostgresWrites) throws {
        create(tx)
        tx.execute("""
            INSERT INTO demo_order_summary_skips (first_position, last_position, error)
            VALUES (\(batch.first?.globalPosition), \(batch.last?.globalPosition), \(String(describing: error)))
            """)
    }

    func create(_ tx: PostgresWrites) {
        tx.execute("""
            CREATE TABLE IF NOT EXISTS demo_order_summary (stream_id TEXT PRIMARY KEY, status TEXT NOT NULL,
              events BIGINT NOT NULL, last_position BIGINT NOT NULL)
            """)
        tx.execute("CREATE TABLE IF NOT EXISTS demo_order_summary_skips (first_position BIGINT, last_position BIGINT, error TEXT NOT NULL)")
    }
}

/// `TypeHours` on PostgreSQL: events per type per hour in `demo_type_hours`, a 30 s gap timeout.
public struct PostgresTypeHours: Projection {
    public typealias Transaction = PostgresWrites
    public let name: String = TypeHours.name
    public let options: ProjectionOptions

    public init(options: ProjectionOptions = ProjectionOptions()) { self.options = TypeHours.options(options) }

    public func apply(_ batch: [RecordedEvent], in tx: PostgresWrites) throws {
        tx.execute("""
            CREATE TABLE IF NOT EXISTS demo_type_hours (hour TEXT NOT NULL, event_type TEXT NOT NULL, events BIGINT NOT NULL,
              PRIMARY KEY (hour, event_type))
            """)
        var counts: [[String]: Int64] = [:]
        for event in batch { counts[[TypeHours.hour(of: event), event.eventType], default: 0] += 1 }
        let rows = counts.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        guard !rows.isEmpty else { return }
        tx.execute("""
            INSERT INTO demo_type_hours (hour, event_type, events)
            SELECT * FROM unnest(\(rows.map { $0.key[0] })::text[], \(rows.map { $0.key[1] })::text[], \(rows.map(\.value))::int8[])
            ON CONFLICT (hour, event_type) DO UPDATE SET events = demo_type_hours.events + EXCLUDED.events
            """)
    }

    public func teardown(in tx: PostgresWrites) throws {
        tx.execute("DROP TABLE IF EXISTS demo_type_hours")
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
        let rows = counts.flatMap { stream, types in types.map { (stream: stream, type: $0.key, count: $0.value.count, last: $0.value.last) } }
            .sorted { ($0.stream, $0.type) < ($1.stream, $1.type) }
        guard !rows.isEmpty else { return }
        // One statement for the batch, not one round trip per stream and type.
        tx.execute("""
            INSERT INTO demo_event_counts (stream_id, event_type, events, last_position)
            SELECT * FROM unnest(\(rows.map(\.stream))::text[], \(rows.map(\.type))::text[], \(rows.map(\.count))::int8[],
              \(rows.map(\.last))::int8[])
            ON CONFLICT (stream_id, event_type) DO UPDATE SET events = demo_event_counts.events + EXCLUDED.events,
              last_position = GREATEST(demo_event_counts.last_position, EXCLUDED.last_position)
            """)
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
        // Per stream: the batch's last event and how many it brought (a batch is in log order).
        var latest: [String: (event: RecordedEvent, events: Int64)] = [:]
        for event in batch { latest[event.streamId] = (event, (latest[event.streamId]?.events ?? 0) + 1) }
        let rows = latest.sorted { $0.key < $1.key }.map(\.value)
        guard !rows.isEmpty else { return }
        var binds = PostgresBindings()
        binds.append(rows.map(\.event.streamId))
        binds.append(rows.map(\.event.eventType))
        binds.append(rows.map(\.events))
        binds.append(rows.map(\.event.globalPosition))
        binds.append(rows.map(\.event.data))
        tx.execute(PostgresQuery(unsafeSQL: """
            INSERT INTO \(table) (stream_id, last_event, events, last_position, last_data)
            SELECT * FROM unnest($1::text[], $2::text[], $3::int8[], $4::int8[], $5::text[])
            ON CONFLICT (stream_id) DO UPDATE SET last_event = EXCLUDED.last_event, events = \(table).events + EXCLUDED.events,
              last_position = EXCLUDED.last_position, last_data = EXCLUDED.last_data
            """, binds: binds))
    }

    public func teardown(in tx: PostgresWrites) throws {
        tx.execute(PostgresQuery(unsafeSQL: "DROP TABLE IF EXISTS \(table)"))
    }
}
