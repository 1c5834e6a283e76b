import EventStore
import Synchronization

/// Drives the explorer with no terminal: each key is reduced, and every query it causes runs to
/// completion (in order) before the next key, so the final screen is deterministic. Time stands
/// still at `now` unless a `.tick` is sent.
public struct HeadlessExplorer: Sendable {
    public private(set) var state: ExplorerState
    public private(set) var copied: [String] = []
    /// How many times the explorer asked to be suspended (there is no terminal to give back).
    public private(set) var suspensions = 0
    /// The texts the explorer asked a pager to show (`o`); no pager runs headless.
    public private(set) var paged: [String] = []
    let reader: any StoreReader
    let themes: any ThemeSource
    let requester: (any CommandRequester)?
    let launcher: (any CommandLauncher)?

    /// `requester` files rebuild requests and `launcher` runs configured rebuild commands (to its
    /// end, before the next key); `rebuildSetup` says which projections use which.
    public init(reader: any StoreReader, width: Int, height: Int, theme: Theme = .monochrome,
                themes: any ThemeSource = FixedThemes(), now: Timestamp, localZone: ClockZone = .utc, opening: ExplorerState.Opening = .streams,
                rebuildSetup: RebuildSetup? = nil, requester: (any CommandRequester)? = nil, launcher: (any CommandLauncher)? = nil) {
        self.reader = reader
        self.themes = themes
        self.requester = requester
        self.launcher = launcher
        state = ExplorerState(info: reader.info, width: width, height: height, theme: theme,
                              themeNames: themes.names(), now: now)
        state.opening = opening
        state.localZone = localZone
        var setup = rebuildSetup ?? RebuildSetup()
        setup.canRequest = requester != nil
        state.rebuildSetup = setup
    }

    /// Applies an action and settles every effect it leads to.
    public mutating func send(_ action: Action) async {
        var queue = [action]
        while !queue.isEmpty {
            let next = queue.removeFirst()
            for effect in state.apply(next) {
                switch effect {
                case .query(let id, _, let query):
                    do {
                        queue.append(.loaded(id: id, try await query.execute(on: reader)))
                    } catch {
                        queue.append(.failure(id: id, error, at: reader.info.location))
                    }
                case .requestRebuild(let projection):
                    guard let requester else {
                        queue.append(.rebuildRequestFailed(projection: projection, message: "this explorer has no request connection to the store"))
                        continue
                    }
                    do {
                        let id = try await requester.request(RunnerSchema.rebuild, projection: projection, requestedBy: "eventscope snapshot")
                        queue.append(.rebuildRequested(projection: projection, requestID: id))
                    } catch {
                        queue.append(.rebuildRequestFailed(projection: projection, message: StoreError.message(for: error, at: reader.info.location)))
                    }
                case .runCommand(let run, let arguments):
                    guard let launcher else {
                        queue.append(.commandEnded(run: run, .failedToStart("this explorer cannot run commands")))
                        continue
                    }
                    let output = Mutex<[CommandOutput]>([])
                    let exit = await launcher.run(arguments) { lines in output.withLock { $0 += lines } }
                    queue.append(.commandOutput(run: run, output.withLock { $0 }))
                    queue.append(.commandEnded(run: run, exit))
                case .stopCommand:
                    // Commands run to their end before the next key: there is nothing left to stop.
                    break
                case .copyToClipboard(let text):
                    copied.append(text)
                case .loadTheme(let name):
                    queue.append(themes.action(loading: name))
                case .suspend:
                    suspensions += 1
                case .page(let text):
                    paged.append(text)
                case .quit:
                    break
                }
            }
        }
    }

    public mutating func start() async { await send(.start) }

    public mutating func press(_ keys: [Key]) async {
        for key in keys {
            if state.quit { return }
            await send(.key(key))
        }
    }

    public var screen: Grid { Screen.render(state) }

    /// The same session over another reader: tests use it to make a store grow between keys.
    public func replacingReader(_ reader: any StoreReader) -> HeadlessExplorer {
        var copy = HeadlessExplorer(reader: reader, state: state, themes: themes, requester: requester, launcher: launcher)
        copy.copied = copied
        copy.suspensions = suspensions
        copy.paged = paged
        return copy
    }

    init(reader: any StoreReader, state: ExplorerState, themes: any ThemeSource, requester: (any CommandRequester)?,
         launcher: (any CommandLauncher)?) {
        self.reader = reader
        self.state = state
        self.themes = themes
        self.requester = requester
        self.launcher = launcher
    }
}
