import EventStore
import GRDB

/// How a new demo store gets its events fast at any size: the rows go, in global-position order,
/// into a table with no index at all, the indexes are then built by sorting (SQLite's `CREATE INDEX`),
/// and the finished b-trees are handed to waku's `es_events` and its indexes by swapping their root
/// pages in the schema. Random inserts into three unique indexes as large as the store (what made
/// 10M events slow and the page cache huge) never happen, and the schema is waku's, byte for byte:
/// same statements, same `sqlite_autoindex_es_events_N` names, same order.
enum DemoBulkLoad {
    static let table = "es_events_load"

    /// `es_events`'s columns and types, without its constraints.
    static let createTable = """
        CREATE TABLE es_events_load (global_position INTEGER PRIMARY KEY, event_id TEXT NOT NULL,
          stream_id TEXT NOT NULL, event_type TEXT NOT NULL, position INTEGER NOT NULL,
          data TEXT NOT NULL, metadata TEXT NOT NULL, timestamp TEXT NOT NULL,
          schema_version INTEGER NOT NULL DEFAULT 1, idempotency_key TEXT NOT NULL)
        """

    static let insertEvent = WakuSchema.insertEvent.replacingOccurrences(of: "INSERT INTO es_events ", with: "INSERT INTO es_events_load ")

    /// waku's index on `es_events` → the same index on the load table. The `UNIQUE` constraints'
    /// indexes are numbered in the order the constraints appear in waku's `CREATE TABLE`.
    static let indexes: [(waku: String, load: String, sql: String)] = [
        ("sqlite_autoindex_es_events_1", "es_events_load_1", "CREATE UNIQUE INDEX es_events_load_1 ON es_events_load (event_id)"),
        ("sqlite_autoindex_es_events_2", "es_events_load_2", "CREATE UNIQUE INDEX es_events_load_2 ON es_events_load (stream_id, position)"),
        ("sqlite_autoindex_es_events_3", "es_events_load_3", "CREATE UNIQUE INDEX es_events_load_3 ON es_events_load (stream_id, idempotency_key)"),
        ("ix_es_events_event_type", "es_events_load_type", "CREATE INDEX es_events_load_type ON es_events_load (event_type)"),
    ]

    /// Builds the load table's indexes, then swaps root pages with `es_events` (empty) and its indexes.
    /// The connection must be closed afterwards: the swap takes effect when the schema is read again.
    static func buildIndexesAndSwap(_ db: Database) throws {
        for index in indexes { try db.execute(sql: index.sql) }
        let pairs = [(WakuSchema.events, table)] + indexes.map { ($0.waku, $0.load) }
        var roots: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT name, rootpage FROM sqlite_master WHERE rootpage > 0") {
            roots[row[0]] = row[1]
        }
        for (waku, load) in pairs where roots[waku] == nil || roots[load] == nil {
            throw StoreError.badArgument("demo bulk load: no root page for \(waku) or \(load)")
        }
        try db.execute(sql: "PRAGMA writable_schema = ON")
        for (waku, load) in pairs {
            try db.execute(sql: "UPDATE sqlite_master SET rootpage = ? WHERE name = ?", arguments: [roots[load]!, waku])
            try db.execute(sql: "UPDATE sqlite_master SET rootpage = ? WHERE name = ?", arguments: [roots[waku]!, load])
        }
        try db.execute(sql: "PRAGMA writable_schema = OFF")
    }

    /// On a new connection (the swapped schema): drops the load table, now holding the empty b-trees.
    static func dropLoadTable(_ db: Database) throws {
        try db.execute(sql: "DROP TABLE \(table)")
    }
}
