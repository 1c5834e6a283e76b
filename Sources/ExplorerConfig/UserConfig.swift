import EventStore
import ExplorerCore

/// The user's `config.toml`: what eventscope is told about stores it cannot learn from them.
/// Today, per store, the projections served by runners that keep no status row (the event types
/// each takes, for honest pending counts) and that do not read the commands table (the command
/// that rebuilds one).
public struct UserConfig: Sendable, Hashable {
    /// The file it was read from; nil when there was none.
    public var file: String?
    public var stores: [StoreSettings]

    public init(file: String? = nil, stores: [StoreSettings] = []) {
        self.file = file
        self.stores = stores
    }

    public static let empty = UserConfig()

    /// The settings of the most specific `[[store]]` whose `match` is a prefix of one of the
    /// names a store goes by (as given, its absolute path); nil when none matches.
    public func settings(for names: [String]) -> StoreSettings? {
        stores.enumerated()
            .filter { _, store in names.contains { $0.hasPrefix(store.match) } }
            // The longest match wins; between equals, the first in the file.
            .max { a, b in a.element.match.count != b.element.match.count ? a.element.match.count < b.element.match.count : a.offset > b.offset }?
            .element
    }

    /// What the explorer needs to know to rebuild a store's projections: their types and commands.
    public func rebuildSetup(for names: [String]) -> RebuildSetup {
        var setup = RebuildSetup()
        guard let store = settings(for: names) else { return setup }
        for (name, projection) in store.projections {
            if let types = projection.eventTypes { setup.eventTypes[name] = types }
            if let command = projection.rebuild { setup.foreignCommands[name] = command }
        }
        return setup
    }
}

/// One `[[store]]` table.
public struct StoreSettings: Sendable, Hashable {
    /// A path or URL prefix: the settings apply to every store whose name starts with it.
    public var match: String
    public var projections: [String: ProjectionSettings]

    public init(match: String, projections: [String: ProjectionSettings] = [:]) {
        self.match = match
        self.projections = projections
    }
}

/// One `[store.projections.NAME]` table.
public struct ProjectionSettings: Sendable, Hashable {
    /// The event types the projection takes; nil = every type.
    public var eventTypes: Set<String>?
    /// The argv that rebuilds it, with `{projection}` for its name; nil = ask the runner.
    public var rebuild: ForeignCommand?

    public init(eventTypes: Set<String>? = nil, rebuild: ForeignCommand? = nil) {
        self.eventTypes = eventTypes
        self.rebuild = rebuild
    }
}

/// A config that cannot be used: which file, which key, and what is wrong, on one line.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// The dotted key (`store[2].projections.orders.rebuild`), or nil for the file as a whole.
    public var key: String?
    public var line: Int?
    public var message: String

    public init(file: String, key: String? = nil, line: Int? = nil, message: String) {
        self.file = file
        self.key = key
        self.line = line
        self.message = message
    }

    public var description: String {
        let place = file + (line.map { ":\($0)" } ?? "")
        return "config \(place): " + (key.map { "\($0): " } ?? "") + message
    }
}
