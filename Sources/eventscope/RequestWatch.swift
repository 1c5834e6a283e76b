import EventStore
import Foundation

/// What `rebuild --wait` has learned about its request so far, and what each new look at the store
/// gives it to say: a line per change of status, once that no runner serves the projection, and the
/// rebuild's progress. Pure: the command reads the store and the clock and prints what it returns.
struct RequestWatch {
    /// One look at the store.
    struct Observation {
        /// The request's row; nil once it is no longer in the table.
        var request: CommandRequest?
        var runner: RunnerStatus?
        /// Who holds the projection's lease and has not let it expire (by the database's clock).
        var liveHolder: String?
    }

    enum Report: Equatable {
        /// The request's status changed (its first look included).
        case status(CommandRequest)
        /// Pending, and nobody holds a live lease on the projection: said once.
        case noRunner
        case progress(RebuildProgress)
        /// The row is gone (deleted by hand): nothing more can be learned.
        case vanished
    }

    let id: Int64
    let projection: String
    /// Seconds between plain progress lines (a terminal's bar is redrawn at every look instead).
    let progressEvery: Double
    private(set) var status: CommandRequest.Status?
    private(set) var saidNoRunner = false
    private var lastProgressAt: Double?
    private var lastProgress: RebuildProgress?

    init(id: Int64, projection: String, progressEvery: Double = 5) {
        self.id = id
        self.projection = projection
        self.progressEvery = progressEvery
    }

    /// What to say after a look at `seconds` since the watch began. `bar` asks for progress at
    /// every look (a redrawn bar), else at most every `progressEvery` seconds and only when it moved.
    mutating func observe(_ seen: Observation, at seconds: Double, bar: Bool) -> [Report] {
        guard let request = seen.request else { return [.vanished] }
        var reports: [Report] = []
        if request.status != status {
            status = request.status
            reports.append(.status(request))
        }
        if request.status == .pending, seen.liveHolder == nil, !saidNoRunner {
            saidNoRunner = true
            reports.append(.noRunner)
        }
        if !request.status.isFinal, let runner = seen.runner, let progress = RebuildProgress(runner) {
            let due = bar || lastProgressAt.map { seconds - $0 >= progressEvery } ?? true
            if due, bar || progress != lastProgress {
                lastProgressAt = seconds
                lastProgress = progress
                reports.append(.progress(progress))
            }
        }
        return reports
    }

    /// The status line for a report of `.status`.
    static func line(for request: CommandRequest, now: Timestamp) -> String {
        let head = "request #\(request.id) (\(request.command) \(request.projectionName)): \(request.status.text)"
        switch request.status {
        case .pending:
            return head + " since \(request.requestedAt.shown), requested by \(request.requestedBy)"
        case .running:
            return head + (request.startedAt.map { ", started \($0.shown)" } ?? "")
        case .done:
            return head + (duration(request).map { " in \($0)" } ?? "") + (request.detail.map { ": \($0)" } ?? "")
        case .failed, .rejected, .other:
            return head + (request.detail.map { ": \($0)" } ?? " (no detail given)")
        }
    }

    /// How long the request ran, from its start to its end (or to `now` while it runs).
    static func duration(_ request: CommandRequest, now: Timestamp? = nil) -> String? {
        guard let start = request.startedAt?.timestamp,
              let end = request.finishedAt?.timestamp ?? (request.status.isFinal ? nil : now) else { return nil }
        return seconds(end.seconds(since: start))
    }

    /// `0.4s`, `12s`, `3m05s`, `2h10m`.
    static func seconds(_ value: Double) -> String {
        let s = max(0, value)
        if s < 10 { return String(format: "%.1fs", s) }
        let whole = Int(s.rounded(.down))
        if whole < 3_600 { return whole < 60 ? "\(whole)s" : String(format: "%dm%02ds", whole / 60, whole % 60) }
        return String(format: "%dh%02dm", whole / 3_600, whole % 3_600 / 60)
    }

    /// `[##########----------]  50%  4,500 / 9,000  1,234 events/s  ETA 4s`, `width` cells of bar.
    static func bar(_ progress: RebuildProgress, width: Int = 24) -> String {
        let filled = max(0, min(width, Int((progress.fraction * Double(width)).rounded(.down))))
        let bar = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
        return bar + "  " + summary(progress)
    }

    static func summary(_ progress: RebuildProgress) -> String {
        let percent = String(format: "%3d%%", Int((progress.fraction * 100).rounded(.down)))
        let done = max(0, progress.checkpoint + 1)
        var text = "\(percent)  \(done.formatted()) / \((progress.target + 1).formatted()) positions"
        text += progress.eventsPerSecond.map { "  \(Int($0.rounded()).formatted()) events/s" } ?? "  – events/s"
        text += progress.etaSeconds.map { "  ETA \(seconds($0))" } ?? "  ETA –"
        return text
    }
}
