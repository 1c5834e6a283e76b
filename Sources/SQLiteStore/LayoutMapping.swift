import EventStore
import GRDB

/// One layout's tables mapped onto `StoreReader`'s reads: its own SQL and row mapping, each read
/// keyset-paged on that layout's own indexes. `SQLiteStoreReader` runs them in its read
/// transactions and composes what is common (projection progress); neither it nor anything above
/// it knows which layout it reads, beyond `StoreInfo.capabilities`.
///
/// For a layout without global positions, every `GlobalPosition` below is the layout's own log
/// ordinal (`rowid`), which `LogCursor` carries and views do not show as a position.
protocol LayoutMapping: Sendable {
    /// What this store can answer, from the tables present (an optional table may be absent).
    func capabilities(in catalog: SchemaCatalog) -> StoreCapabilities

    func head(_ db: Database) throws -> GlobalPosition
    func streams(_ db: Database, _ query: StreamQuery) throws -> [StreamSummary]
    func stream(_ db: Database, id: String) throws -> StreamSummary?
    func streamEvents(_ db: Database, _ query: StreamEventsQuery) throws -> [RecordedEvent]
    func log(_ db: Database, _ query: LogQuery) throws -> [RecordedEvent]
    func events(_ db: Database, in ranges: [ClosedRange<GlobalPosition>], limit: Int) throws -> [RecordedEvent]
    func event(_ db: Database, at position: GlobalPosition) throws -> RecordedEvent?
    func event(_ db: Database, id: String) throws -> RecordedEvent?
    func checkpoints(_ db: Database) throws -> [Checkpoint]
    func leases(_ db: Database) throws -> [Lease]
    func snapshots(_ db: Database, after streamId: String?, limit: Int) throws -> [Snapshot]
    func gaps(_ db: Database, in window: ClosedRange<GlobalPosition>, limit: Int, includeOrphans: Bool) throws -> [Gap]
    func countStreams(_ db: Database, prefix: String, cap: Int64) throws -> Int64
    func eventTypes(_ db: Database, prefix: String, limit: Int) throws -> [String]
    func softDeletedStreams(_ db: Database) throws -> Set<String>
    /// Visible events after `checkpoint`, counted up to `limit` (the caller passes cap + 1).
    func pending(_ db: Database, after checkpoint: GlobalPosition, eventTypes: Set<String>, limit: Int64) throws -> Int64
    func firstVisible(_ db: Database, after position: GlobalPosition, eventTypes: Set<String>) throws -> RecordedEvent?
    func deadLetters(_ db: Database, _ query: DeadLetterQuery) throws -> [DeadLetter]?
    func outboxSummary(_ db: Database) throws -> OutboxSummary?
}

extension LayoutMapping {
    func capabilities(in catalog: SchemaCatalog) -> StoreCapabilities { [] }
    func leases(_ db: Database) throws -> [Lease] { [] }
    func softDeletedStreams(_ db: Database) throws -> Set<String> { [] }
    func deadLetters(_ db: Database, _ query: DeadLetterQuery) throws -> [DeadLetter]? { nil }
    func outboxSummary(_ db: Database) throws -> OutboxSummary? { nil }

    func firstVisible(_ db: Database, after position: GlobalPosition, eventTypes: Set<String>) throws -> RecordedEvent? {
        try log(db, LogQuery(anchor: .after(.position(position)), limit: 1, eventTypes: eventTypes)).first
    }
}

/// The mapping of a layout.
enum LayoutMappings {
    static func mapping(for layout: StoreLayout) -> any LayoutMapping {
        switch layout {
        case .waku: WakuMapping()
        case .eventsourcePy: EventsourcePyMapping()
        case .lexigram: LexigramMapping()
        case .minimal: MinimalMapping()
        }
    }
}

/// A bound list of `?` placeholders.
func placeholders(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ", ") }

/// The database's clock as the layouts on SQLite store times.
let sqliteNow = "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

extension StoredRow {
    /// The first column as UTF-8 text; nil for NULL, another type or bytes that are not UTF-8.
    var firstText: String? {
        guard case .text(let bytes) = self[0] else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }
}
