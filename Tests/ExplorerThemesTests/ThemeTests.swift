import EventStore
import Foundation
import Testing
import ExplorerCore
import ExplorerThemes

@Suite struct ThemeTests {
    static let themesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("themes")

    @Test(arguments: EmbeddedThemes.all.map(\.name))
    func embeddedThemeMatchesItsFile(name: String) throws {
        let file = try String(contentsOf: Self.themesDirectory.appendingPathComponent(name + ".toml"), encoding: .utf8)
        let embedded = try #require(EmbeddedThemes.all.first { $0.name == name }).text
        #expect(embedded + "\n" == file, "Sources/ExplorerThemes/EmbeddedThemes.swift is out of date for themes/\(name).toml")
    }

    @Test func everyThemeFileIsEmbedded() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.themesDirectory.path)
            .filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }
        #expect(Set(files) == Set(EmbeddedThemes.all.map(\.name)))
    }

    @Test(arguments: ["dark", "light", "high-contrast", "monochrome"])
    func shippedThemesLoadAndRender(name: String) async throws {
        let theme = try ThemeCatalog(userDirectory: nil).load(name)
        #expect(theme.name == name)
        #expect(Role.allCases.allSatisfy { theme.colors[$0] != nil })
        var state = ExplorerState(info: StoreInfo(location: "x.db", layout: .waku), width: 60, height: 12,
                                  now: Timestamp(parsing: "2026-11-22T12:00:00Z")!)
        _ = state.apply(.themeLoaded(theme))
        #expect(state.theme == theme)
        #expect(Screen.render(state).ansiText(theme: theme).count == 12)
    }

    @Test func noColorForcesMonochrome() throws {
        let theme = try ThemeCatalog(userDirectory: nil).initial(requested: "light", environment: ["NO_COLOR": "1"])
        #expect(theme == .monochrome)
        let chosen = try ThemeCatalog(userDirectory: nil).initial(requested: "light", environment: ["NO_COLOR": ""])
        #expect(chosen.name == "light")
    }

    @Test func userThemesLiveUnderXDGConfigHomeElseHome() {
        #expect(ThemeCatalog.userDirectory(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/eventscope/themes")
        #expect(ThemeCatalog.userDirectory(environment: ["XDG_CONFIG_HOME": "", "HOME": "/h"]) == "/h/.config/eventscope/themes")
        #expect(ThemeCatalog.userDirectory(environment: [:]) == nil)
    }

    @Test func aBadColourNamesTheFileAndLine() {
        let text = "name = \"x\"\n[colors]\nbackground = \"default\"\ntext = \"#12345\"\n"
        #expect(throws: ThemeError(file: "x.toml", line: 4,
                                   message: "text must be \"#rrggbb\", an ANSI colour name (red, bright-red, …) or \"default\"")) {
            try ThemeParser.parse(text, file: "x.toml")
        }
    }

    @Test func brokenTOMLNamesTheFileAndLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("eventscope-theme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("broken.toml").path
        try "name = \"broken\"\n[colors]\ntext = \"#ffffff\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try ThemeCatalog(userDirectory: nil).load(path)
            Issue.record("a broken theme loaded")
        } catch {
            #expect(error.file == path)
            #expect(error.line == 3)
            #expect(error.description.hasPrefix("theme \(path), line 3: not valid TOML"))
        }
    }

    @Test func missingRolesAreListed() {
        #expect(throws: ThemeError.self) { try ThemeParser.parse("[colors]\ntext = \"red\"\n", file: "y.toml") }
        do {
            _ = try ThemeParser.parse("[colors]\ntext = \"red\"\n", file: "y.toml")
        } catch {
            #expect(error.line == 1)
            #expect(error.message.contains("lacks background, muted"))
        }
    }

    @Test func userThemesAreFoundByName() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("eventscope-user-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try EmbeddedThemes.all[1].text.replacingOccurrences(of: "name = \"light\"", with: "name = \"mine\"")
            .write(toFile: dir.path + "/mine.toml", atomically: true, encoding: .utf8)
        let catalog = ThemeCatalog(userDirectory: dir.path)
        #expect(try catalog.load("mine").name == "mine")
        #expect(catalog.names().contains("mine"))
    }

    @Test func unknownThemeListsTheAvailableOnes() {
        do {
            _ = try ThemeCatalog(userDirectory: nil).load("nope")
            Issue.record("loaded a theme that does not exist")
        } catch {
            #expect(error.description == "theme nope: no such theme; available: dark, light, high-contrast, monochrome (or give a path to a .toml file)")
        }
    }

    @Test func coloursMapToSmallerPalettes() {
        #expect(Color.rgb(255, 0, 0).paletteIndex(colors: 256) == 196)
        #expect(Color.rgb(250, 10, 10).paletteIndex(colors: 16) == 9)
        #expect(Color.rgb(200, 10, 10).paletteIndex(colors: 8) == 1)
        #expect(Color.ansi(12).paletteIndex(colors: 8) == 4)
        #expect(Color.terminalDefault.paletteIndex(colors: 256) == nil)
        #expect(Color.rgb(128, 128, 128).paletteIndex(colors: 256) == 244)
    }
}
