import ArgumentParser
import EventStore
import PostgresStore
import SQLiteStore

/// Opens a store read-only from a path or URL (SPEC §3). `layout` forces a layout instead of detecting it.
func openStore(_ text: String, layout: String?) async throws -> any StoreReader {
    let location = try StoreLocation(text)
    let forced = try layout.map { name in
        guard let known = StoreLayout(rawValue: name) else {
            throw StoreError.badArgument("unknown --layout \(name.debugDescription); layouts: "
                + StoreLayout.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return known
    }
    switch location {
    case .sqlite(let path):
        return try SQLiteStoreReader.open(path: path, layout: forced)
    case .postgres(let url):
        let target = try PostgresTarget.fromSystem(url: url)
        for warning in target.warnings { Output.note("eventscope: warning: \(warning)") }
        return try await PostgresStoreReader.open(target: target, layout: forced)
    }
}

/// The arguments every view shares.
struct StoreOptions: ParsableArguments {
    @Argument(help: "The store: a SQLite path, sqlite:///abs/path.db or a postgres://… URL (PGHOST, PGUSER, PGPASSWORD, ~/.pgpass … fill in what it leaves out).")
    var store: String

    @Option(help: "Force the store layout instead of detecting it (waku, eventsource-py, lexigram, minimal).")
    var layout: String?

    @Flag(help: "Print JSON instead of an aligned table (field names: see the README).")
    var json = false

    func open() async throws -> any StoreReader { try await openStore(store, layout: layout) }
}
