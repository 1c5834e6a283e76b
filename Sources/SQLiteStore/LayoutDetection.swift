import EventStore
import GRDB

/// The SQLite side of layout detection: the catalog of tables and columns, which the pure
/// `StoreLayout.detect(in:)` then reads.
enum SQLiteCatalog {
    static func read(_ db: Database) throws -> SchemaCatalog {
        var catalog: SchemaCatalog = [:]
        for name in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") {
            catalog[name] = Set(try db.columns(in: name).map(\.name))
        }
        return catalog
    }

    /// The layout of the database, or the error an operator can act on.
    static func layout(of database: any DatabaseReader, location: String, forced: StoreLayout?) throws(StoreError) -> (StoreLayout, SchemaCatalog) {
        let catalog: SchemaCatalog
        do {
            catalog = try database.read(read)
        } catch {
            throw SQLiteStoreReader.describe(error, location: location)
        }
        let layout = try StoreLayout.resolve(in: catalog, forced: forced, location: location)
        return (layout, catalog)
    }
}
