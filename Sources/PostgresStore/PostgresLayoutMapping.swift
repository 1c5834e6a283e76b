import EventStore

typealias Session = PostgresStoreReader.Session

/// One layout's tables mapped onto `StoreReader`'s reads on PostgreSQL, as `LayoutMapping` does on
/// SQLite: that layout's SQL and row mapping, each read keyset-paged on the layout's own indexes.
/// `PostgresStoreReader` runs them on its sessions (in one read-only snapshot where a read takes
/// several statements) and composes what is common (projection progress); neither it nor anything
/// above it knows which layout it reads, beyond `StoreInfo.capabilities`.
///
/// For a layout without global positions, every `GlobalPosition` below is the layout's own log
/// ordinal, which `LogCursor` carries and views do not show as a position.
protocol PostgresLayoutMapping: Sendable {
    /// The tables this mapping may read: the ones this role must be allowed to `SELECT`.
    var tables: [String] { get }
    /// What this store can answer, from the tables present (an optional table may be absent).
    func capabilities(in catalog: SchemaCatalog) -> StoreCapabilities
    /// Whether the streams' reads take several statements (and so need one snapshot).
    var streamReadsTakeSeveralStatements: Bool { get }

    func head(_ s: Session) async throws -> GlobalPosition
    func streams(_ s: Session, _ query: StreamQuery) async throws -> [StreamSummary]
    func stream(_ s: Session, id: String) async throws -> StreamSummary?
    func streamEvents(_ s: Session, _ query: StreamEventsQuery) async throws -> [RecordedEvent]
    func log(_ s: Session, _ query: LogQuery) async throws -> [RecordedEvent]
    func events(_ s: Session, in ranges: [ClosedRange<GlobalPosition>], limit: Int) async throws -> [RecordedEvent]
    func event(_ s: Session, at position: GlobalPosition) async throws -> RecordedEvent?
    func event(_ s: Session, id: String) async throws -> RecordedEvent?
    func checkpoints(_ s: Session) async throws -> [Checkpoint]
    func leases(_ s: Session) async throws -> [Lease]
    func snapshots(_ s: Session, after streamId: String?, limit: Int) async throws -> [Snapshot]
    func gaps(_ s: Session, in window: ClosedRange<GlobalPosition>, limit: Int, includeOrphans: Bool) async throws -> [Gap]
    /// Streams within a prefix, counted up to `cap + 1`.
    func countStreams(_ s: Session, prefix: String, cap: Int64) async throws -> Int64
    func eventTypes(_ s: Session, prefix: String, limit: Int) async throws -> [String]
    func softDeletedStreams(_ s: Session) async throws -> Set<String>
    /// Visible events after `checkpoint`, counted up to `limit` (the caller passes cap + 1).
    func pending(_ s: Session, after checkpoint: GlobalPosition, eventTypes: Set<String>, limit: Int64) async throws -> Int64
    func firstVisible(_ s: Session, after position: GlobalPosition, eventTypes: Set<String>) async throws -> RecordedEvent?
    func deadLetters(_ s: Session, _ query: DeadLetterQuery) async throws -> [DeadLetter]?
    func outboxSummary(_ s: Session) async throws -> OutboxSummary?
    /// The rows the layout's own library cannot see yet (eventsource-py's txid horizon); nil for
    /// a layout without one.
    func visibilityHorizon(_ s: Session, cap: Int64) async throws -> VisibilityHorizon?
}

extension PostgresLayoutMapping {
    var streamReadsTakeSeveralStatements: Bool { true }
    func leases(_ s: Session) async throws -> [Lease] { [] }
    func softDeletedStreams(_ s: Session) async throws -> Set<String> { [] }
    func deadLetters(_ s: Session, _ query: DeadLetterQuery) async throws -> [DeadLetter]? { nil }
    func outboxSummary(_ s: Session) async throws -> OutboxSummary? { nil }
    func visibilityHorizon(_ s: Session, cap: Int64) async throws -> VisibilityHorizon? { nil }

    func firstVisible(_ s: Session, after position: GlobalPosition, eventTypes: Set<String>) async throws -> RecordedEvent? {
        try await log(s, LogQuery(anchor: .after(.position(position)), limit: 1, eventTypes: eventTypes)).first
    }
}

/// The mapping of a layout, with what the catalog says of its columns.
enum PostgresLayoutMappings {
    static func mapping(for layout: StoreLayout, catalog: PostgresCatalog) -> any PostgresLayoutMapping {
        switch layout {
        case .waku: WakuPostgresMapping(byteOrdered: catalog.sortsByBytes(WakuSchema.streams, "stream_id"))
        case .eventsourcePy: EventsourcePyPostgresMapping(catalog: catalog)
        case .lexigram: LexigramPostgresMapping(catalog: catalog)
        case .minimal: MinimalPostgresMapping(catalog: catalog)
        }
    }
}

/// The tables and columns visible on the search path, with each column's type, whether it sorts by
/// bytes (its collation is C, POSIX or C.UTF-8) and whether an index leads with it: what the
/// mappings need to bind values as the column's type and to know which reads an index serves.
struct PostgresCatalog: Sendable {
    struct Column: Sendable, Hashable {
        /// `format_type`'s name: `text`, `uuid`, `jsonb`, `timestamp with time zone`, ….
        var type: String
        var sortsByBytes: Bool
        var leadsAnIndex: Bool
    }

    var columns: [String: [String: Column]] = [:]

    var schema: SchemaCatalog { columns.mapValues { Set($0.keys) } }

    func column(_ table: String, _ name: String) -> Column? { columns[table]?[name] }

    /// Whether a column's values sort by bytes; true for a column that is not there (nothing to sort).
    func sortsByBytes(_ table: String, _ name: String) -> Bool { column(table, name)?.sortsByBytes ?? true }

    func leadsAnIndex(_ table: String, _ name: String) -> Bool { column(table, name)?.leadsAnIndex ?? false }

    /// Whether the column holds text (`text`, `varchar`, `char`): bound text compares with it as stored.
    func isText(_ table: String, _ name: String) -> Bool {
        guard let type = column(table, name)?.type else { return false }
        return type == "text" || type.hasPrefix("character")
    }

    /// The catalog: every column of the visible tables, with its type, collation and index use.
    static let query = """
        SELECT c.relname::text, a.attname::text, format_type(a.atttypid, NULL)::text,
               (CASE WHEN a.attcollation = 0 THEN true
                     WHEN col.collname = 'default' THEN d.datlocprovider = 'c' AND d.datcollate IN ('C', 'POSIX', 'C.UTF-8', 'C.utf8')
                     ELSE col.collprovider = 'c' AND col.collcollate IN ('C', 'POSIX', 'C.UTF-8', 'C.utf8') END)::text,
               EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid AND i.indkey[0] = a.attnum)::text
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        JOIN pg_catalog.pg_database d ON d.datname = current_database()
        LEFT JOIN pg_catalog.pg_collation col ON col.oid = a.attcollation
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND pg_catalog.pg_table_is_visible(c.oid)
        """

    init(rows: [ServerRow]) {
        func text(_ value: ServerValue) -> String? {
            if case .text(let bytes) = value { return String(decoding: bytes, as: UTF8.self) }
            return nil
        }
        for row in rows {
            guard let table = text(row[0]), let name = text(row[1]) else { continue }
            columns[table, default: [:]][name] = Column(type: text(row[2]) ?? "", sortsByBytes: text(row[3]) == "true",
                                                        leadsAnIndex: text(row[4]) == "true")
        }
    }
}
