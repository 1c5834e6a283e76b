import EventStore

/// Everything that can happen to the explorer. The reducer turns each into a new state and effects.
public enum Action: Sendable {
    /// The first action: load what the first screen needs.
    case start
    case key(Key)
    case resize(width: Int, height: Int)
    /// Time passes: relative ages, spinners, follow polling and periodic refresh.
    case tick(Timestamp)
    case loaded(id: Int, QueryResult)
    case failed(id: Int, message: String)
    /// The query has run longer than the spinner threshold.
    case slow(id: Int)
    /// The requester filed a rebuild request (its id in the commands table), or could not.
    case rebuildRequested(projection: String, requestID: Int64)
    case rebuildRequestFailed(projection: String, message: String)
    /// A configured rebuild command wrote lines, or ended.
    case commandOutput(run: Int, [CommandOutput])
    case commandEnded(run: Int, CommandExit)
    /// The pager `o` asked for could not be started, or failed: why, in one line.
    case pagerFailed(String)
    case themeLoaded(Theme)
    case themeFailed(String)
}
