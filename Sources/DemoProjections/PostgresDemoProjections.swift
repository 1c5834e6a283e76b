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
        for (stream, change) in AccountChange.changes(in: batch) {
            tx.execute("""
                INSERT INTO demo_account_balances (stream_id, balance_cents, deposits, withdrawals, unreadable, last_position)
                VALUES (\(stream), \(change.cents), \(change.deposits), \(change.withdrawals), \(change.unreadable), \(change.lastPosition))
                ON CONFLICT (stream_id) DO UPDATE SET balance_cents = demo_account_balances.balance_cents + EXCLUDED.balance_cents,
                  deposits = demo_account_balances.deposits + EXCLUDED.deposits,
                  withdrawals = demo_account_balances.withdrawals + EXCLUDED.withdrawals,
                  unreadable = demo_account_balances.unreadable + EXCLUDED.unreadable,
                  last_position = GREATEST(demo_account_balances.last_position, EXCLUDED.last_position)
                """)
        }
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
        for event in batch {
            let status = try OrderSummary.status(of: event)
            tx.execute("""
                INSERT INTO demo_order_summary (stream_id, status, events, last_position) VALUES (\(event.streamId), \(status), 1, \(event.globalPosition))
                ON CONFLICT (stream_id) DO UPDATE SET status = EXCLUDED.status, events = demo_order_summary.events + 1,
                  last_position = EXCLUDED.last_position
                """)
        }
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
        for event in batch {
            tx.execute("""
                INSERT INTO demo_type_hours (hour, event_type, events) VALUES (\(TypeHours.hour(of: event)), \(event.eventType), 1)
                ON CONFLICT (hour, event_type) DO UPDATE SET events = demo_type_hours.events + 1
                """)
        }
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
