import Foundation

/// Where `config.toml` lives and how it is read: the edge's part (files and environment).
public enum ConfigFile {
    /// `$XDG_CONFIG_HOME/eventscope/config.toml`, else `~/.config/eventscope/config.toml`.
    public static func defaultPath(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/eventscope/config.toml" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/eventscope/config.toml" }
        return nil
    }

    /// The config named by `--config`, or the default one. A default file that does not exist is
    /// no config at all; a named one that does not exist is an error (the operator meant a file).
    public static func load(path explicit: String?, environment: [String: String]) throws(ConfigError) -> UserConfig {
        guard let path = explicit ?? defaultPath(environment: environment) else { return .empty }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            if explicit != nil { throw ConfigError(file: path, message: "no such file (given with --config)") }
            return .empty
        }
        guard !isDirectory.boolValue else { throw ConfigError(file: path, message: "is a directory, not a TOML file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, message: "cannot be read (permissions?)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ConfigError(file: path, message: "is not UTF-8 text") }
        var config = try ConfigParser.parse(text, file: path)
        // `~/` at the start of a match stands for the home directory, as in a shell.
        if let home = environment["HOME"], !home.isEmpty {
            for i in config.stores.indices where config.stores[i].match.hasPrefix("~/") {
                config.stores[i].match = home + config.stores[i].match.dropFirst()
            }
        }
        return config
    }

    /// The names a store given on the command line goes by, for matching: as given and, for a
    /// file, its absolute path with `.` and `..` resolved (and `sqlite://` stripped).
    public static func names(ofStore given: String, currentDirectory: String = FileManager.default.currentDirectoryPath) -> [String] {
        var names = [given]
        var path = given
        if path.hasPrefix("sqlite://") { path = String(path.dropFirst("sqlite://".count)) }
        guard !path.contains("://") else { return names }
        if !path.hasPrefix("/") { path = currentDirectory + "/" + path }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        if !names.contains(absolute) { names.append(absolute) }
        return names
    }
}
