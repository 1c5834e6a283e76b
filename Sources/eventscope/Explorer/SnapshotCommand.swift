import ArgumentParser
import EventStore
import ExplorerCore
import ExplorerThemes
import Foundation

/// Runs the explorer with no terminal: replays keys against the store and prints the final screen.
/// Note: inside this module the name shadows `EventStore.Snapshot` (write that one qualified).
struct Snapshot: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Print the explorer's screen after some keys, with no terminal (for tests, docs and tickets).",
        discussion: """
            KEYS are space-separated: a single character is that key; Enter, Esc, Tab, S-Tab, Up, Down, Left, \
            Right, PgUp, PgDn, Home, End, BS, Del, Space, C-x (Ctrl+x), WheelUp and WheelDown name keys; \
            text:WORDS types WORDS. \
            Every query a key causes finishes before the next key, so the screen is deterministic.

            Example: eventscope snapshot demo.db --size 100x30 --keys ": text:pos Space text:120 Enter Enter"
            """
    )

    @Argument(help: "The store: a SQLite path, sqlite:///abs/path.db or postgres://… URL.")
    var store: String

    @Option(help: "Screen size as COLUMNSxROWS.")
    var size = "120x40"

    @Option(help: "The keys to press, space-separated (see below).")
    var keys = ""

    @Flag(help: "Print colours as ANSI escape sequences.")
    var ansi = false

    @Option(help: "Theme name (dark, light, high-contrast, monochrome, or one in ~/.config/eventscope/themes) or a .toml path.")
    var theme: String?

    @Option(help: "Force the store layout instead of detecting it (waku).")
    var layout: String?

    @Option(help: ArgumentHelp("The config file, as for explore (its rebuild commands run when R is confirmed).", valueName: "path"))
    var config: String?

    @Flag(help: "Print timings to standard error: time to the first frame, key-to-frame latency (median, p99, max), peak RSS.")
    var timings = false

    static func parseSize(_ text: String) throws -> (width: Int, height: Int) {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), (1...1000).contains(w), (1...1000).contains(h) else {
            throw StoreError.badArgument("--size takes COLUMNSxROWS, e.g. 120x40 (got \(text.debugDescription))")
        }
        return (w, h)
    }

    func run() async throws {
        let (width, height) = try Self.parseSize(size)
        let keyList: [Key]
        do { keyList = try Key.parseSequence(keys) } catch { throw StoreError.badArgument(error.description) }
        let environment = ProcessInfo.processInfo.environment
        let catalog = ThemeCatalog(environment: environment)
        let chosen: Theme
        do { chosen = try catalog.initial(requested: theme, environment: environment) } catch {
            throw StoreError.badArgument(error.description)
        }
        let settings = try ExplorerRebuilds.config(path: config)
        let clock = ContinuousClock()
        let started = clock.now
        let reader = try await openStore(store, layout: layout)
        let rebuilds = await ExplorerRebuilds.forStore(store, reader: reader, config: settings)
        var explorer = HeadlessExplorer(reader: reader, width: width, height: height, theme: chosen, themes: catalog,
                                        now: .now(), localZone: ClockZone.local(), rebuildSetup: rebuilds.setup, requester: rebuilds.requester,
                                        launcher: rebuilds.launcher)
        await explorer.start()
        var grid = explorer.screen
        let firstFrame = clock.now - started
        var latencies: [(key: Key, latency: Duration)] = []
        for key in keyList where !explorer.state.quit {
            let pressed = clock.now
            await explorer.send(.key(key))
            grid = explorer.screen
            latencies.append((key, clock.now - pressed))
        }
        if timings { Self.report(firstFrame: firstFrame, latencies: latencies) }
        let lines = ansi ? grid.ansiText(theme: explorer.state.theme) : grid.plainText()
        try Output.write(lines.joined(separator: "\n") + "\n")
    }

    static func report(firstFrame: Duration, latencies: [(key: Key, latency: Duration)]) {
        func ms(_ d: Duration) -> String { String(format: "%.2f ms", Double(d.components.attoseconds) / 1e15 + Double(d.components.seconds) * 1000) }
        var text = "first frame: \(ms(firstFrame))"
        func summary(_ values: [Duration]) -> String {
            let sorted = values.sorted()
            let p99 = sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.99).rounded(.up)) - 1)]
            return "\(sorted.count) keys: median \(ms(sorted[sorted.count / 2])), p99 \(ms(p99)), max \(ms(sorted.last!))"
        }
        if !latencies.isEmpty { text += "; " + summary(latencies.map(\.latency)) }
        // Per key, so the cost of a page, a jump or a drill-in can be read apart from typing.
        var byKey: [String: [Duration]] = [:]
        for (key, latency) in latencies { byKey[String(describing: key), default: []].append(latency) }
        let perKey = byKey.sorted { $0.key < $1.key }.map { "\n  \($0.key): \(summary($0.value))" }.joined()
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        #if os(Linux)
        text += "; peak RSS \(usage.ru_maxrss / 1024) MiB"  // kilobytes on Linux
        #else
        text += "; peak RSS \(usage.ru_maxrss / 1_048_576) MiB"
        #endif
        Output.note(text + perKey)
    }
}
