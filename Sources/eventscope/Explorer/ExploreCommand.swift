import ArgumentParser
import EventStore
import ExplorerCore
import ExplorerThemes
import Foundation
import Synchronization
import TerminalBackend

/// The interactive explorer: panes over a read-only store, drawn with ncurses.
struct Explore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Open the explorer (the default when only a store is given). Press ? inside for every key."
    )

    @Argument(help: "The store: a SQLite path, sqlite:///abs/path.db or postgres://… URL.")
    var store: String

    @Option(help: "Theme name (dark, light, high-contrast, monochrome, or one in ~/.config/eventscope/themes) or a .toml path. NO_COLOR forces monochrome.")
    var theme: String?

    @Option(help: "Force the store layout instead of detecting it (waku).")
    var layout: String?

    @Option(help: ArgumentHelp("The config file: per store, projections' event types and rebuild commands for foreign runners.",
                               discussion: "Default: $XDG_CONFIG_HOME/eventscope/config.toml, else ~/.config/eventscope/config.toml.",
                               valueName: "path"))
    var config: String?

    func run() async throws {
        let chosen = try Self.theme(named: theme)
        let settings = try ExplorerRebuilds.config(path: config)
        // Open the store before taking over the terminal, so its errors print plainly.
        let reader = try await openStore(store, layout: layout)
        let rebuilds = await ExplorerRebuilds.forStore(store, reader: reader, config: settings)
        try await Self.open(reader, theme: chosen, rebuilds: rebuilds)
    }

    /// The starting theme: NO_COLOR wins, then the name or path given, then the default.
    static func theme(named name: String?) throws -> Theme {
        let environment = ProcessInfo.processInfo.environment
        do { return try ThemeCatalog(environment: environment).initial(requested: name, environment: environment) } catch {
            throw StoreError.badArgument(error.description)
        }
    }

    /// Runs the explorer on an open store until the operator quits (`eventscope demo` uses this too).
    static func open(_ reader: any StoreReader, theme: Theme, opening: ExplorerState.Opening = .streams,
                     rebuilds: ExplorerRebuilds = .none) async throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw StoreError.badArgument("the explorer needs a terminal; use `eventscope snapshot` to render a screen without one")
        }
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        switch TerminalScreen.terminalSupport {
        case .usable: break
        case .unknown:
            throw StoreError.badArgument("the terminal type TERM=\(term.debugDescription) is unknown to this system's terminfo: "
                + "try TERM=xterm-256color")
        case .noCursorAddressing:
            throw StoreError.badArgument("the terminal type TERM=\(term.debugDescription) cannot move the cursor, so the explorer "
                + "cannot draw on it: try TERM=xterm-256color, or the commands (`eventscope events STORE`, `snapshot`)")
        }
        // The edge: theme files, the clocks and the wall-clock time are handed to the loop from here.
        let loop = ExplorerLoop(reader: reader, theme: theme, themes: ThemeCatalog(environment: ProcessInfo.processInfo.environment),
                                clock: ContinuousClock(), wallClock: { Timestamp.now() }, opening: opening, rebuilds: rebuilds)
        // The loop owns ncurses and sleeps in poll(2), so it gets a thread of its own rather than
        // blocking one of the concurrency pool's; the queries run as tasks on the pool.
        let ending = await withCheckedContinuation { (done: CheckedContinuation<ExplorerLoop<ContinuousClock>.Ending, Never>) in
            Thread {
                done.resume(returning: loop.run())
            }.start()
        }
        if case .signal(let number) = ending { throw ExplorerEndedBySignal(signal: number) }
    }
}

/// The explorer was ended by SIGTERM, SIGHUP, SIGINT or SIGQUIT (or Ctrl-\): the terminal is
/// restored, and the process exits with 128 + the signal's number, as if the signal had killed it,
/// without a crash report.
struct ExplorerEndedBySignal: Error {
    let signal: Int32
}

/// Results from query tasks, waiting for the loop to pick them up; posting wakes the loop.
final class Mailbox: Sendable {
    private let actions = Mutex<[Action]>([])
    let wakePipe = WakePipe()
    func post(_ action: Action) {
        actions.withLock { $0.append(action) }
        wakePipe.wake()
    }
    func drain() -> [Action] { actions.withLock { pending in defer { pending = [] }; return pending } }
}

/// The interactive loop: keys are read on this thread, queries run as tasks (through
/// `EffectRunner`), and a frame is drawn whenever the state changed. Ticks come from `clock`;
/// the state's wall-clock time from `wallClock`.
struct ExplorerLoop<C: Clock<Duration>>: Sendable {
    let reader: any StoreReader
    let theme: Theme
    let themes: any ThemeSource
    let clock: C
    let wallClock: @Sendable () -> Timestamp
    let opening: ExplorerState.Opening
    let rebuilds: ExplorerRebuilds

    static var tickInterval: Duration { .milliseconds(250) }

    /// How the loop ended: the operator quit, or a signal asked it to.
    enum Ending: Sendable {
        case quit
        case signal(Int32)
    }

    func run() -> Ending {
        let mailbox = Mailbox()
        let runner = EffectRunner(reader: reader, clock: clock, requester: rebuilds.requester, requestedBy: rebuilds.requestedBy,
                                  launcher: rebuilds.launcher) { mailbox.post($0) }
        let screen = TerminalScreen(theme: theme, wakePipe: mailbox.wakePipe)
        defer { screen.close() }
        var ending = Ending.quit
        let (width, height) = screen.size
        var state = ExplorerState(info: reader.info, width: width, height: height, theme: theme,
                                  themeNames: themes.names(), now: wallClock())
        state.opening = opening
        state.localZone = ClockZone.local()
        state.rebuildSetup = rebuilds.setup
        var ticker = Ticker(clock: clock, interval: Self.tickInterval)
        var dirty = true

        func perform(_ action: Action) {
            dirty = true
            for effect in state.apply(action) {
                if runner.perform(effect) { continue }
                switch effect {
                case .query, .requestRebuild, .runCommand, .stopCommand: break
                case .copyToClipboard(let text): screen.copyToClipboard(text)
                case .suspend: screen.suspend()
                case .page(let text):
                    if let failure = screen.handOver({ Pager.show(text, environment: ProcessInfo.processInfo.environment) }) {
                        mailbox.post(.pagerFailed(failure))
                    }
                case .loadTheme(let name): mailbox.post(themes.action(loading: name))
                case .quit: break
                }
            }
        }

        perform(.start)
        while !state.quit {
            while let event = screen.read() {
                switch event {
                case .key(let key): perform(.key(key))
                case .resize(let w, let h):
                    screen.invalidate()
                    perform(.resize(width: w, height: h))
                case .terminated(let signal):
                    ending = .signal(signal)
                    state.quit = true
                }
                if state.quit { break }
            }
            if state.quit { break }
            for action in mailbox.drain() { perform(action) }
            if ticker.isDue() { perform(.tick(wallClock())) }
            if dirty {
                screen.draw(Screen.render(state), theme: state.theme)
                dirty = false
            }
            let untilTick = ticker.remaining
            let milliseconds = untilTick.components.seconds * 1000 + untilTick.components.attoseconds / 1_000_000_000_000_000
            mailbox.wakePipe.wait(milliseconds: Int32(max(1, min(250, milliseconds))))
        }
        if let log = state.commandLog, log.isRunning {
            // Quitting stops the rebuild command it started: give the terminal back first, since
            // a command that ignores SIGTERM takes the grace period to be killed.
            screen.close()
            Output.note("stopping the rebuild command for \(log.projection) (\(log.arguments.first ?? ""))")
            let stopped = DispatchSemaphore(value: 0)
            Task {
                await runner.stopAll()
                stopped.signal()
            }
            stopped.wait()
        }
        runner.cancelAll()
        return ending
    }
}
