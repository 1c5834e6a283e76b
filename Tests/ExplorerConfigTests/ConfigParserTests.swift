import ExplorerConfig
import ExplorerCore
import Foundation
import Testing
import TestSupport

@Suite struct ConfigParserTests {
    static let valid = """
        # A waku app's store: its runner keeps no status row and does not read the commands table.
        [[store]]
        match = "/srv/shop/events.db"

        [store.projections.order_summary]
        event_types = ["OrderPlaced", "OrderShipped"]
        rebuild = ["waku-app", "rebuild", "{projection}"]

        [store.projections.customer_directory]
        event_types = ["CustomerRegistered"]

        [[store]]
        match = "/srv/"

        [store.projections.order_summary]
        rebuild = ["/usr/local/bin/rebuild-all"]
        """

    @Test func aValidFileGivesEachStoreItsProjections() throws {
        let config = try ConfigParser.parse(Self.valid, file: "config.toml")
        #expect(config.stores.count == 2)
        let shop = try #require(config.settings(for: ["/srv/shop/events.db"]))
        #expect(shop.match == "/srv/shop/events.db")
        #expect(shop.projections["order_summary"] == ProjectionSettings(eventTypes: ["OrderPlaced", "OrderShipped"],
                                                                        rebuild: ForeignCommand(["waku-app", "rebuild", "{projection}"])))
        #expect(shop.projections["customer_directory"] == ProjectionSettings(eventTypes: ["CustomerRegistered"], rebuild: nil))
        let setup = config.rebuildSetup(for: ["events.db", "/srv/shop/events.db"])
        #expect(setup.eventTypes == ["order_summary": ["OrderPlaced", "OrderShipped"], "customer_directory": ["CustomerRegistered"]])
        #expect(setup.foreignCommands == ["order_summary": ForeignCommand(["waku-app", "rebuild", "{projection}"])])
    }

    @Test func theMostSpecificMatchWinsAndNoMatchMeansNoSettings() throws {
        let config = try ConfigParser.parse(Self.valid, file: "config.toml")
        #expect(config.settings(for: ["/srv/other.db"])?.match == "/srv/")
        #expect(config.settings(for: ["/home/ada/demo.db"]) == nil)
        #expect(config.rebuildSetup(for: ["/home/ada/demo.db"]) == RebuildSetup())
    }

    @Test func anEmptyFileIsNoSettings() throws {
        #expect(try ConfigParser.parse("", file: "config.toml").stores.isEmpty)
    }

    @Test(arguments: [
        ("[[store]]\nmatch = \"/a\"\n[store.projections.p]\nrebuild = \"waku-app rebuild {projection}\"\n",
         "config c.toml: store[1].projections.p.rebuild: must be a list of strings, the program first, e.g. [\"waku-app\", \"rebuild\", \"{projection}\"] (it runs without a shell)"),
        ("[[store]]\nmatch = \"/a\"\n[store.projections.p]\nevent_types = [\"A\", 3]\n",
         "config c.toml: store[1].projections.p.event_types: must be a list of event type names, e.g. [\"OrderPlaced\"]"),
        ("[[store]]\nmatch = \"/a\"\n[store.projections.p]\nevent_type = [\"A\"]\n",
         "config c.toml: store[1].projections.p.event_type: unknown key; a projection has event_types and rebuild"),
        ("[[store]]\nmatch = \"/a\"\n[[store]]\npath = \"/b\"\n",
         "config c.toml: store[2].path: unknown key; a [[store]] has match and [store.projections.NAME] tables"),
        ("[[store]]\n[store.projections.p]\nrebuild = [\"x\"]\n",
         "config c.toml: store[1].match: needs a non-empty string: the store's path or URL, or a prefix of it"),
        ("[[store]]\nmatch = \"/a\"\n[store.projections.p]\nrebuild = []\n",
         "config c.toml: store[1].projections.p.rebuild: must be a list of strings, the program first, e.g. [\"waku-app\", \"rebuild\", \"{projection}\"] (it runs without a shell)"),
        ("store = \"/a\"\n", "config c.toml: store: must be an array of tables, written [[store]]"),
        ("theme = \"dark\"\n", "config c.toml: theme: unknown key; the config holds [[store]] tables"),
    ])
    func aMalformedFileIsOneLineNamingFileAndKey(text: String, expected: String) {
        #expect(throws: ConfigError.self) { try ConfigParser.parse(text, file: "c.toml") }
        do {
            _ = try ConfigParser.parse(text, file: "c.toml")
        } catch {
            #expect(error.description == expected)
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func invalidTOMLNamesTheFileAndLine() {
        do {
            _ = try ConfigParser.parse("[[store]]\nmatch = \"/a\"\nrebuild = [\"x\",\n", file: "c.toml")
            Issue.record("parsed")
        } catch {
            #expect(error.description.hasPrefix("config c.toml:4: not valid TOML: ") || error.description.hasPrefix("config c.toml:3: not valid TOML: "),
                    "\(error.description)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func thePlaceholderIsReplacedInsideArgumentsAndNeverSplits() {
        let command = ForeignCommand(["waku-app", "rebuild", "{projection}", "--only={projection}", "--log=/tmp/{projection}.log", "{other}"])
        #expect(command.arguments(for: "x; rm -rf /") == ["waku-app", "rebuild", "x; rm -rf /", "--only=x; rm -rf /", "--log=/tmp/x; rm -rf /.log", "{other}"])
        #expect(command.arguments(for: "a b\n'c'") == ["waku-app", "rebuild", "a b\n'c'", "--only=a b\n'c'", "--log=/tmp/a b\n'c'.log", "{other}"])
        // A name holding the placeholder itself is not substituted again.
        #expect(ForeignCommand(["p", "{projection}"]).arguments(for: "{projection}x") == ["p", "{projection}x"])
    }
}

@Suite struct ConfigFileTests {
    @Test func theDefaultPathFollowsXDGThenHome() {
        #expect(ConfigFile.defaultPath(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/eventscope/config.toml")
        #expect(ConfigFile.defaultPath(environment: ["XDG_CONFIG_HOME": "", "HOME": "/h"]) == "/h/.config/eventscope/config.toml")
        #expect(ConfigFile.defaultPath(environment: [:]) == nil)
    }

    @Test func aMissingDefaultFileIsNoConfigButAMissingNamedOneIsAnError() throws {
        let dir = TemporaryDirectory("config")
        defer { dir.remove() }
        #expect(try ConfigFile.load(path: nil, environment: ["XDG_CONFIG_HOME": dir.path]) == .empty)
        #expect(throws: ConfigError(file: dir.file("nope.toml"), message: "no such file (given with --config)")) {
            try ConfigFile.load(path: dir.file("nope.toml"), environment: [:])
        }
    }

    @Test func theDefaultFileIsReadAndTildeMatchesHome() throws {
        let dir = TemporaryDirectory("config")
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.file("eventscope"), withIntermediateDirectories: true)
        try "[[store]]\nmatch = \"~/shop.db\"\n[store.projections.p]\nevent_types = [\"A\"]\n"
            .write(toFile: dir.file("eventscope/config.toml"), atomically: true, encoding: .utf8)
        let config = try ConfigFile.load(path: nil, environment: ["XDG_CONFIG_HOME": dir.path, "HOME": "/home/ada"])
        #expect(config.file == dir.file("eventscope/config.toml"))
        #expect(config.rebuildSetup(for: ["/home/ada/shop.db"]).eventTypes == ["p": ["A"]])
    }

    @Test func aStoreIsMatchedByItsAbsolutePathToo() {
        #expect(ConfigFile.names(ofStore: "data/../shop.db", currentDirectory: "/srv") == ["data/../shop.db", "/srv/shop.db"])
        #expect(ConfigFile.names(ofStore: "sqlite:///srv/shop.db") == ["sqlite:///srv/shop.db", "/srv/shop.db"])
        #expect(ConfigFile.names(ofStore: "postgres://u@h/db") == ["postgres://u@h/db"])
    }
}
