/// What one check of an awaited condition found: the value it was waiting for, or what it saw instead.
public enum Poll<Value> {
    case ready(Value)
    case pending(seen: String)
}

/// A condition that did not hold in time; says what was awaited and what the last check saw.
public struct WaitTimeout: Error, CustomStringConvertible {
    public let description: String
}

/// Waits for `what` by re-checking `check` every `interval` until it is ready, yielding the thread
/// between checks (a wait on a condition, never a guess at how long something takes). Throws
/// `WaitTimeout` with the last thing seen when `timeout` passes first; deadlines are generous
/// because a loaded machine is slow, and a condition that holds returns at once.
@discardableResult
public func wait<Value>(for what: String, timeout: Duration = .seconds(30), every interval: Duration = .milliseconds(20),
                        _ check: () async throws -> Poll<Value>) async throws -> Value {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while true {
        let seen: String
        switch try await check() {
        case .ready(let value): return value
        case .pending(let observed): seen = observed
        }
        guard clock.now < deadline else {
            throw WaitTimeout(description: "timed out after \(timeout) waiting for \(what); last seen: \(seen)")
        }
        try await Task.sleep(for: interval)
    }
}

/// Waits until `condition` holds; `seen` describes the state when it does not, for the failure message.
public func wait(until what: String, timeout: Duration = .seconds(30), every interval: Duration = .milliseconds(20),
                 _ condition: () async throws -> Bool, seen: () async throws -> String = { "it did not hold" }) async throws {
    try await wait(for: what, timeout: timeout, every: interval) { () async throws -> Poll<Void> in
        try await condition() ? .ready(()) : .pending(seen: try await seen())
    }
}
