import ArgumentParser
import EventStore
import SQLiteStore

/// Opens a store read-only from a path or URL (SPEC §3). `layout` forces a layout instead of detecting it.
func openStore(_ text: String, layout: String?) async throws -> any StoreReader {
    let location = try StoreLocation(text)
    if let layout, layout != "waku" {
        throw StoreError.badArgument("unknown or unsupported --layout \(layout.debugDescription): this version reads the waku layout (--layout waku)")
    }
    switch location {
    case .sqlite(let path):
        return try SQLiteStoreReader.open(path: path)
    case .postgres:
        throw StoreError.unsupportedLocation(location.description, reason: "PostgreSQL stores are not supported by this version yet; use a SQLite store")
    }
}

/// The arguments every view shares.
struct StoreOptions: ParsableArguments {
    @Argument(help: "The store: a SQLite path, sqlite:///abs/path.db or postgres://… URL.")
    var store: String

    @Option(help: "Force the store layout instead of detecting it (waku).")
    var layout: String?

    @Flag(help: "Print JSON instead of an aligned table (field names: see the README).")
    var json = false

    func open() async throws -> any StoreReader { try await openStore(store, layout: layout) }
}
