import EventStore

/// What the Projections pane says about one projection beyond its checkpoint: the state word
/// (the runner's own when it keeps a status row), its latest rebuild request until that fades,
/// a rebuild's progress, and the one line of detail under the list.
struct ProjectionRow {
    /// How long a finished request stays on its row: long enough to see it end, not for ever.
    static let doneFadesAfter = 120.0
    static let failureFadesAfter = 600.0

    let status: ProjectionStatus
    let now: Timestamp
    /// Whether pending events are counted for some types only (the config's or the runner's).
    var filtered = false

    var runner: RunnerStatus? { status.progress.runner }

    /// The state word and its style.
    var state: (word: String, style: Style) {
        // Nobody owns a projection whose lease expired, whatever its status row last said.
        guard status.state != .leaseExpired, let runner else { return (status.state.rawValue, Self.style(status.state)) }
        switch runner.state {
        case .running:
            if status.pending.count == 0 || pendingCameAfterHeartbeat {
                return (ProjectionStatus.State.caughtUp.rawValue, Self.style(.caughtUp))
            }
            // A running projection of every type waiting on a gap past its timeout says so: it is what
            // holds it. With some types only, the positions between its checkpoint and its next event
            // may just hold other types, so the inference cannot tell a gap from a filtered event.
            let filtered = self.filtered || runner.eventTypes != nil
            let word: ProjectionStatus.State = status.state == .blockedByGap && !filtered ? .blockedByGap : .catchingUp
            return (word.rawValue, Self.style(word))
        case .rebuilding: return ("rebuilding", Style(.warning, bold: true))
        case .failed: return ("failed", Style(.error, bold: true))
        case .stopped: return ("stopped", Style(.muted))
        case .other(let text): return (text, Style(.muted))
        }
    }

    /// How recent the runner's heartbeat must be for `pendingCameAfterHeartbeat` to count.
    static let freshHeartbeat = 10.0
    /// An event's time is taken when its append starts, which may wait on the write lock (SQLite's
    /// one writer, the runner's own transactions among others) before it commits.
    static let commitSlack = 1.0

    /// Whether every pending event was appended after the runner's last cycle (less the commit
    /// slack), which ended at most `freshHeartbeat` seconds ago: it has seen everything that was
    /// there when it last looked, so it is caught up; between two polls of a busy store a keeping-up
    /// projection always has a few pending. Judged only when the times agree with each other
    /// (heartbeat ≤ now, first pending ≤ now): a writer's clock ahead of the runner's must not make a
    /// lagging projection look caught up.
    var pendingCameAfterHeartbeat: Bool {
        guard let beat = runner?.heartbeatAt?.timestamp, let first = status.progress.nextVisibleTime?.timestamp else { return false }
        let age = now.seconds(since: beat)
        return first.seconds(since: beat) > -Self.commitSlack && first <= now && age >= 0 && age <= Self.freshHeartbeat
    }

    static func style(_ state: ProjectionStatus.State) -> Style {
        switch state {
        case .caughtUp: Style(.ok)
        case .catchingUp, .rebuilding: Style(.warning)
        case .stalled, .leaseExpired: Style(.error, bold: true)
        case .blockedByGap: Style(.gap, bold: true)
        }
    }

    /// The runner's throughput when it reports one.
    var runnerRate: Double? { runner?.eventsPerSecond.flatMap { $0.isFinite && $0 >= 0 ? $0 : nil } }

    /// The latest request, unless it finished long enough ago to fade.
    var request: CommandRequest? {
        guard let request = status.progress.latestRequest else { return nil }
        guard request.status.isFinal else { return request }
        let fade = request.status == .done ? Self.doneFadesAfter : Self.failureFadesAfter
        // An unreadable finish time falls back to the request time; with neither the row keeps it.
        guard let ended = request.finishedAt?.timestamp ?? request.requestedAt.timestamp else { return request }
        return now.seconds(since: ended) > fade ? nil : request
    }

    /// A pending request nobody will pick up: no live lease holder.
    var nobodyServes: Bool {
        guard let request, request.status == .pending else { return false }
        return status.lease == nil || status.leaseExpired == true
    }

    var progress: RebuildProgress? { runner.flatMap(RebuildProgress.init) }

    /// Whether the REBUILD column has anything to say for this row.
    var hasRebuildCell: Bool { progress != nil || request != nil }

    /// The REBUILD cell, `width` cells wide: a bar with fraction and ETA while rebuilding, else the request's state.
    func rebuildCell(width: Int) -> Span {
        if let progress {
            let percent = "\(Int((progress.fraction * 100).rounded(.down)))%"
            let eta = progress.etaSeconds.map { " " + RebuildConfirmation.duration($0) } ?? ""
            let label = " " + percent + eta
            return Span(Self.bar(progress.fraction, width: max(0, width - label.count)) + label, Style(.warning))
        }
        guard let request else { return Span("") }
        if nobodyServes { return Span("pending: no runner", Style(.error, bold: true)) }
        switch request.status {
        case .pending, .running: return Span(request.status.text, Style(.warning))
        case .done: return Span("done", Style(.ok))
        case .failed, .rejected: return Span(request.status.text, Style(.error, bold: true))
        case .other(let text): return Span(text, Style(.muted))
        }
    }

    static let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// A bar `width` cells wide, filled to `fraction` in eighths of a cell; the rest is `░`.
    static func bar(_ fraction: Double, width: Int) -> String {
        guard width > 0 else { return "" }
        let eighthsFilled = Int((min(1, max(0, fraction)) * Double(width * 8)).rounded(.down))
        var text = String(repeating: "█", count: eighthsFilled / 8)
        if eighthsFilled % 8 > 0 { text.append(eighths[eighthsFilled % 8 - 1]) }
        return text + String(repeating: "░", count: max(0, width - text.count))
    }

    /// The line under the list for the selected projection: what most needs saying about it.
    var detail: Span? {
        let name = status.name
        if nobodyServes, let request {
            return Span("no runner serves \(name): request #\(request.id) stays pending until a runner takes its lease", Style(.error, bold: true))
        }
        if let progress {
            var text = "rebuilding \(name): \(Int((progress.fraction * 100).rounded(.down)))% (checkpoint \(progress.checkpoint) of \(progress.target))"
            if let rate = progress.eventsPerSecond { text += " at \(Int(rate.rounded())) events/s" }
            if let eta = progress.etaSeconds { text += ", about \(RebuildConfirmation.duration(eta)) left" }
            return Span(text, Style(.warning))
        }
        if let request, request.status == .failed || request.status == .rejected {
            return Span("rebuild #\(request.id) \(request.status.text): " + (request.detail ?? "no detail given"), Style(.error, bold: true))
        }
        if let runner, runner.state == .failed {
            let at = runner.lastErrorPosition.map { " at position \($0)" } ?? ""
            return Span("\(name) failed\(at): " + (runner.lastError ?? "no error recorded"), Style(.error, bold: true))
        }
        if let request {
            let since = request.status == .done ? request.finishedAt : request.status == .running ? request.startedAt : request.requestedAt
            let age = TimeText.of(since, now: now, absolute: false)
            return Span("rebuild #\(request.id) \(request.status.text)\(age.isEmpty ? "" : " " + age + " ago") · asked by \(request.requestedBy)",
                        Style(request.status == .done ? .ok : .warning))
        }
        if let runner {
            var parts = ["runner \(runner.holderId ?? "—")"]
            if let beat = runner.heartbeatAt { parts.append("heartbeat " + TimeText.of(beat, now: now, absolute: false)) }
            parts.append(runner.eventTypes.map { $0.isEmpty ? "takes no types" : "takes " + $0.sorted().joined(separator: ", ") } ?? "takes every type")
            if runner.skippedBatches > 0 { parts.append("\(runner.skippedBatches) batches skipped") }
            if let error = runner.lastError { parts.append("last error: " + error) }
            return Span(parts.joined(separator: " · "), Style(.muted))
        }
        return nil
    }
}
