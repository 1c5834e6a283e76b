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
    /// The query failed because the store could not be reached (its server went away): the
    /// explorer reconnects with backoff instead of only showing the message.
    case disconnected(id: Int, message: String)
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

extension Action {
    /// How a query's failure reaches the explorer: `.disconnected` when the store could not be
    /// reached (`StoreError.unreachable`, which a later read may not meet), else `.failed`.
    public static func failure(id: Int, _ error: any Error, at location: String) -> Action {
        let text = StoreError.message(for: error, at: location)
        if let error = error as? StoreError, case .unreachable = error { return .disconnected(id: id, message: text) }
        return .failed(id: id, message: text)
    }
}
