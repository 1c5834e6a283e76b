import EventStore

/// Drives the explorer with no terminal: each key is reduced, and every query it causes runs to
/// completion (in order) before the next key, so the final screen is deterministic. Time stands
/// still at `now` unless a `.tick` is sent.
public struct HeadlessExplorer: Sendable {
    public private(set) var state: ExplorerState
    public private(set) var copied: [String] = []
    /// How many times the explorer asked to be suspended (there is no terminal to give back).
    public private(set) var suspensions = 0
    let reader: any StoreReader
    let themes: any ThemeSource

    public init(reader: any StoreReader, width: Int, height: Int, theme: Theme = .monochrome,
                themes: any ThemeSource = FixedThemes(), now: Timestamp, opening: ExplorerState.Opening = .streams) {
        self.reader = reader
        self.themes = themes
        state = ExplorerState(info: reader.info, width: width, height: height, theme: theme,
                              themeNames: themes.names(), now: now)
        state.opening = opening
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
                        queue.append(.failed(id: id, message: StoreError.message(for: error, at: reader.info.location)))
                    }
                case .copyToClipboard(let text):
                    copied.append(text)
                case .loadTheme(let name):
                    queue.append(themes.action(loading: name))
                case .suspend:
                    suspensions += 1
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
        var copy = HeadlessExplorer(reader: reader, state: state, themes: themes)
        copy.copied = copied
        copy.suspensions = suspensions
        return copy
    }

    init(reader: any StoreReader, state: ExplorerState, themes: any ThemeSource) {
        self.reader = reader
        self.state = state
        self.themes = themes
    }
}
