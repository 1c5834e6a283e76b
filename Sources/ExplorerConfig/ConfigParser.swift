import ExplorerCore
import TOMLKit

/// Reads `config.toml`:
///
/// ```toml
/// [[store]]
/// match = "/srv/shop/events.db"        # a path or URL prefix
///
/// [store.projections.order_summary]
/// event_types = ["OrderPlaced", "OrderShipped"]
/// rebuild = ["waku-app", "rebuild", "{projection}"]
/// ```
///
/// Every key is checked: a misspelt one is an error naming it, not a setting silently ignored.
public enum ConfigParser {
    public static func parse(_ text: String, file: String) throws(ConfigError) -> UserConfig {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(file: file, line: error.source.begin.line, message: "not valid TOML: \(error.description)")
        } catch {
            throw ConfigError(file: file, message: "not valid TOML: \(error)")
        }
        for key in table.keys where key != "store" {
            throw ConfigError(file: file, key: key, message: "unknown key; the config holds [[store]] tables")
        }
        guard let value = table["store"] else { return UserConfig(file: file) }
        guard let array = value.array else {
            throw ConfigError(file: file, key: "store", message: "must be an array of tables, written [[store]]")
        }
        var stores: [StoreSettings] = []
        for (index, element) in array.enumerated() {
            let key = "store[\(index + 1)]"
            guard let store = element.table else { throw ConfigError(file: file, key: key, message: "must be a table") }
            stores.append(try parseStore(store, key: key, file: file))
        }
        return UserConfig(file: file, stores: stores)
    }

    static func parseStore(_ table: TOMLTable, key: String, file: String) throws(ConfigError) -> StoreSettings {
        for name in table.keys where name != "match" && name != "projections" {
            throw ConfigError(file: file, key: "\(key).\(name)", message: "unknown key; a [[store]] has match and [store.projections.NAME] tables")
        }
        guard let match = table["match"]?.string, !match.isEmpty else {
            throw ConfigError(file: file, key: "\(key).match",
                              message: "needs a non-empty string: the store's path or URL, or a prefix of it")
        }
        var projections: [String: ProjectionSettings] = [:]
        if let value = table["projections"] {
            guard let tables = value.table else {
                throw ConfigError(file: file, key: "\(key).projections", message: "must be a table of [store.projections.NAME] tables")
            }
            for name in tables.keys {
                let projectionKey = "\(key).projections.\(name)"
                guard let projection = tables[name]?.table else {
                    throw ConfigError(file: file, key: projectionKey, message: "must be a table with event_types and/or rebuild")
                }
                projections[name] = try parseProjection(projection, key: projectionKey, file: file)
            }
        }
        return StoreSettings(match: match, projections: projections)
    }

    static func parseProjection(_ table: TOMLTable, key: String, file: String) throws(ConfigError) -> ProjectionSettings {
        for name in table.keys where name != "event_types" && name != "rebuild" {
            throw ConfigError(file: file, key: "\(key).\(name)", message: "unknown key; a projection has event_types and rebuild")
        }
        var settings = ProjectionSettings()
        if let value = table["event_types"] {
            guard let types = strings(value), !types.contains(where: \.isEmpty) else {
                throw ConfigError(file: file, key: "\(key).event_types", message: "must be a list of event type names, e.g. [\"OrderPlaced\"]")
            }
            settings.eventTypes = Set(types)
        }
        if let value = table["rebuild"] {
            guard let argv = strings(value), let program = argv.first, !program.isEmpty else {
                throw ConfigError(file: file, key: "\(key).rebuild",
                                  message: "must be a list of strings, the program first, e.g. [\"waku-app\", \"rebuild\", \"{projection}\"] (it runs without a shell)")
            }
            settings.rebuild = ForeignCommand(argv)
        }
        return settings
    }

    /// The strings of an array of strings; nil when it is anything else.
    static func strings(_ value: TOMLValueConvertible) -> [String]? {
        guard let array = value.array else { return nil }
        var result: [String] = []
        for element in array {
            guard let text = element.string else { return nil }
            result.append(text)
        }
        return result
    }
}
