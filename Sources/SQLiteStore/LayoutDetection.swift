import EventStore
import GRDB

/// Recognises a store's layout from its tables (SPEC §3).
enum LayoutDetection {
    static let wakuEventColumns: Set<String> = [
        "global_position", "event_id", "stream_id", "event_type", "position", "data", "metadata",
        "timestamp", "schema_version", "idempotency_key",
    ]

    static func detect(_ database: any DatabaseReader, location: String) throws(StoreError) -> String {
        let tables: [String: Set<String>]
        do {
            tables = try database.read { db in
                var result: [String: Set<String>] = [:]
                for name in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") {
                    result[name] = Set(try db.columns(in: name).map(\.name))
                }
                return result
            }
        } catch {
            throw SQLiteStoreReader.describe(error, location: location)
        }
        if let columns = tables["es_events"] {
            let missing = wakuEventColumns.subtracting(columns)
            guard missing.isEmpty else {
                throw .notAStore(location: location, reason: "es_events lacks the waku column(s) \(missing.sorted().joined(separator: ", "))")
            }
            guard tables["es_streams"] != nil else {
                throw .notAStore(location: location, reason: "es_events has no es_streams beside it: is this a waku store?")
            }
            return "waku"
        }
        let other: String? = if let events = tables["events"] {
            events.contains("aggregate_id") ? "eventsource-py"
                : events.contains("global_sequence") ? "lexigram"
                : events.contains("payload") && events.contains("stream") ? "minimal \"eventsourcing\"" : nil
        } else { nil }
        if let other {
            throw .notAStore(location: location, reason: "no es_events table: this looks like a \(other) store; this version reads the waku layout only")
        }
        let found = tables.keys.sorted().prefix(8).joined(separator: ", ")
        throw .notAStore(location: location, reason: "no es_events table: is this a waku store?" + (found.isEmpty ? " (the database has no tables)" : " (tables: \(found))"))
    }
}
