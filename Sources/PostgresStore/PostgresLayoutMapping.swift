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
    /// A page of the log as one statement and the mapping of its rows: what `log` runs, and what a
    /// streamed read (`PostgresStoreReader.streamLog`) runs, decoding the rows as it hands them over.
    func logPage(_ query: LogQuery) -> (Statement, @Sendable (ServerRow) -> RecordedEvent)
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

    func log(_ s: Session, _ query: LogQuery) async throws -> [RecordedEvent] {
        let (statement, event) = logPage(query)
        return try await s.rows(statement).map(event)
    }

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
