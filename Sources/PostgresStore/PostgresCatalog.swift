import EventStore

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

extension PostgresCatalog {
    /// The type of a column, "" when it is not there.
    func type(_ table: String, _ name: String) -> String { column(table, name)?.type ?? "" }
}
