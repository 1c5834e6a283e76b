import EventStore

/// The store's server went away (a PostgreSQL restart, a failover): the explorer says
/// "reconnecting…" on the status line, stops its periodic reads, and probes with a head poll at
/// growing intervals; the first read that succeeds ends the outage and the panes go on from
/// where they were (the followed log from its last row), without a restart.
public struct Reconnecting: Sendable, Hashable {
    /// When the first read failed.
    public var since: Timestamp
    /// Failed probes so far (the first failure counts as one).
    public var attempts: Int
    /// No probe before this time.
    public var retryAt: Timestamp
    /// The last failure, as the adapter put it (the store's location is redacted there).
    public var reason: String

    /// Seconds from a failed probe to the next: 0.25 s, doubling up to 5 s.
    public static func delay(afterAttempts attempts: Int) -> Double {
        min(5, 0.25 * Double(1 << min(max(attempts, 1) - 1, 5)))
    }

    /// The status line's word: "reconnecting…", with the attempts and the next probe.
    public func word(now: Timestamp) -> String {
        let wait = max(0, retryAt.seconds(since: now))
        return "reconnecting… (\(attempts) failed, next in \(wait < 1 ? "<1" : String(Int(wait.rounded(.up)))) s)"
    }
}

extension ExplorerState {
    /// A read failed because the store could not be reached: every pane forgets the read (as for
    /// any failure), and the outage starts or, for a failed probe, waits longer.
    mutating func lostStore(id: Int, _ text: String) -> [Effect] {
        if impactFailed(id: id, text) { return [] }
        let probe = headPending?.id == id
        if probe { headPending = nil }
        if horizonPending?.id == id { horizonPending = nil }
        let effects = broadcast(.failed(id: id))
        if var outage = reconnecting {
            // Reads already in flight when the server went fail too: only a failed probe counts.
            if probe {
                outage.attempts += 1
                outage.retryAt = now.adding(seconds: Reconnecting.delay(afterAttempts: outage.attempts))
            }
            outage.reason = text
            reconnecting = outage
        } else {
            reconnecting = Reconnecting(since: now, attempts: 1, retryAt: now.adding(seconds: Reconnecting.delay(afterAttempts: 1)),
                                        reason: text)
        }
        failure = nil
        message = Message(text: text, isError: true)
        return effects
    }

    /// During an outage a tick reads nothing but the probe, once its wait is over.
    mutating func probeStore() -> [Effect] {
        guard let outage = reconnecting, headPending == nil, !(now < outage.retryAt) else { return [] }
        return [requestHead()]
    }

    /// A read succeeded during an outage: it is over. What the outage interrupted is read again:
    /// the followed log from its last row (a head that did not move would not read it), and the
    /// focused pane as when it is shown.
    mutating func endOutage() -> [Effect] {
        guard let outage = reconnecting else { return [] }
        reconnecting = nil
        // A short outage in tenths: "after 0s" would read as no outage at all.
        let seconds = max(0, now.seconds(since: outage.since))
        let took = seconds < 10 ? String(format: "%.1fs", seconds) : formatAge(seconds: seconds)
        message = Message(text: "reconnected after \(took) (\(outage.attempts) failed attempt\(outage.attempts == 1 ? "" : "s"))", isError: false)
        var effects: [Effect] = []
        if follow, events.loaded, let head {
            effects += withContext { state, context in state.events.headMoved(to: head, &context) }
        }
        if focus == .streams, !streams.loaded, streams.pending == nil {
            effects += withContext { state, context in state.streams.start(&context) }
        } else if focus != .events {
            effects += route(.shown, to: focus)
        }
        return effects
    }
}
