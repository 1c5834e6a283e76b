import ArgumentParser
import DemoStore
import EventStore
import Foundation
import ProjectionRunnerSQLite

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a realistic demo store and keep appending to it.",
        discussion: """
            With neither flag: creates the store when missing, starts a live writer and a projection runner \
            beside it (child processes that end with the explorer; the runner logs to STORE.runner.log) and \
            opens the explorer on it. --create-only makes the store and exits. \
            --live appends to it until interrupted (creating it first when it does not exist). The demo marks the \
            stores it makes and writes to no other: an existing store it did not make is refused unless --force.

            The Projections pane (4) tells an operator's story: event_counter and account_balances \
            keep up (caught-up); shipment_tracker starts far behind and paces itself (catching-up for \
            about a minute); type_hours waits 30 s at each position the writer burns (blocked-by-gap); \
            order_summary skips the batch with the writer's poison event (policy skip, its skips in \
            its status); order_history keeps a crashed worker's expired lease (lease-expired) and no \
            runner serves it, so a rebuild request for it (R) stays pending and the explorer says why.
            """)

    @Flag(help: "Create the store and exit.")
    var createOnly = false

    @Flag(help: "Keep appending to the store until interrupted.")
    var live = false

    @Option(help: "The store's path (default: demo.db in the user's data directory).")
    var store: String?

    @Option(help: "How many events to create (50 to 50,000,000).")
    var events = 100_000

    @Option(help: "Seed for the generator: the same seed makes the same events.")
    var seed: UInt64 = 42

    @Option(help: "Events per second appended by --live (bursts go to five times that).")
    var rate: Double = 20

    @Flag(help: "Replace an existing store with --create-only; otherwise, write to a store the demo did not make.")
    var force = false

    @Option(help: "Theme for the explorer.")
    var theme: String?

    @Flag(help: "When creating a store, print the time of each phase (generate and load, index build, finish) to standard error.")
    var timings = false

    /// Set on the writer `demo` starts beside the explorer: it stops when that process is gone.
    @Option(help: .hidden)
    var parentPid: Int32?

    func validate() throws {
        if createOnly, live { throw ValidationError("--create-only and --live exclude each other") }
        guard (50...50_000_000).contains(events) else { throw ValidationError("--events must be between 50 and 50000000") }
        guard rate > 0, rate <= 100_000 else { throw ValidationError("--rate must be between 0 and 100000") }
    }

    func run() async throws {
        let path = try store ?? Self.defaultPath()
        let exists = FileManager.default.fileExists(atPath: path)
        if createOnly, exists, !force {
            throw StoreError.badArgument("\(path) already exists: pass --force to replace it, or choose another --store")
        }
        // Checked before anything is opened: the writer must not touch a real store by mistake.
        if exists, !createOnly { try DemoMarker.check(path, force: force) }
        if createOnly || !exists { try create(at: path) }
        if live { try runLive(at: path) } else if !createOnly { try await explore(path) }
    }

    /// The newcomer's command: a live writer in a child process, and the explorer in this one.
    func explore(_ path: String) async throws {
        let chosen = try Explore.theme(named: theme)
        // The runner's tables exist before the explorer looks for them: R files requests from the start.
        try await SQLiteRunnerBackend(path: path).prepare()
        let reader = try await openStore(path, layout: nil)
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        writer.arguments = ["demo", "--live", "--store", path, "--rate", String(rate), "--parent-pid", String(getpid())]
            + (force ? ["--force"] : [])
        let log = path + ".live.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        writer.standardOutput = FileHandle.nullDevice
        writer.standardError = FileHandle(forWritingAtPath: log) ?? FileHandle.nullDevice
        writer.standardInput = FileHandle.nullDevice
        try writer.run()
        defer {
            writer.terminate()
            writer.waitUntilExit()
        }
        // The runner serves the demo's projections; order_history is left to no runner (its worker
        // crashed), so a rebuild request for it stays pending.
        let runner = try Self.startRunner(path)
        defer {
            runner.terminate()
            runner.waitUntilExit()
        }
        // A newcomer sees the store live: the global log at the head, following.
        // The demo's runner reads the commands table: R files requests through the request connection.
        let rebuilds = await ExplorerRebuilds.forStore(path, reader: reader, config: .empty)
        try await Explore.open(reader, theme: chosen, opening: .followingLog, rebuilds: rebuilds)
    }

    /// `eventscope runner` in a child process, logging to STORE.runner.log; it stops with this process.
    static func startRunner(_ path: String) throws -> Process {
        let runner = Process()
        runner.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        runner.arguments = ["runner", path, "--parent-pid", String(getpid())]
        let log = path + ".runner.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        runner.standardOutput = FileHandle.nullDevice
        runner.standardError = FileHandle(forWritingAtPath: log) ?? FileHandle.nullDevice
        runner.standardInput = FileHandle.nullDevice
        try runner.run()
        return runner
    }

    static func defaultPath() throws -> String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (env["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return base + "/eventscope/demo.db"
    }

    func create(at path: String) throws {
        Output.note("creating demo store \(path) with \(events.formatted()) events (seed \(seed))")
        let interactive = isatty(STDERR_FILENO) == 1
        let summary = try DemoStoreGenerator(events: events, seed: seed).create(at: path) { written, total, elapsed in
            let rate = Int(Double(written) / max(elapsed, 0.001))
            let line = "  \(written.formatted()) / \(total.formatted()) events  \(rate.formatted()) events/s"
            if interactive { Output.progress("\r" + line) } else { Output.note(line) }
        }
        if interactive { Output.progress("\n") }
        let missing = summary.missingRuns.count, deleted = summary.deletedRuns.count
        Output.note("""
            created \(path): \(summary.events.formatted()) events in \(summary.streams.formatted()) streams, head \(summary.head), \
            \(missing + deleted) gaps (\(missing) missing, \(deleted) deleted), \
            \(String(format: "%.1f", summary.seconds)) s (\(Int(Double(summary.events) / max(summary.seconds, 0.001)).formatted()) events/s), \
            \(String(format: "%.1f", Double(summary.bytes) / 1_048_576)) MiB
            """)
        if timings {
            for phase in summary.phases { Output.note("  \(phase.name): \(String(format: "%.2f", phase.seconds)) s") }
        }
    }

    func runLive(at path: String) throws {
        StopSignals.install()
        var writer = try DemoLiveWriter(path: path, rate: rate, force: force)
        Output.note("appending to \(path) at \(rate.formatted()) events/s with bursts (Ctrl-C to stop)")
        let parent = parentPid
        // An orphaned writer (its explorer crashed) stops instead of appending for ever.
        let total = try writer.run(shouldStop: { StopSignals.stop || (parent.map { getppid() != $0 } ?? false) }) { report in
            Output.note("  appended \(report.appended.formatted()) events, head \(report.head), \(report.skipped) positions skipped")
        }
        Output.note("stopped: appended \(total.appended.formatted()) events, head \(total.head)")
    }
}
