import ArgumentParser
import DemoStore
import EventStore
import Foundation
import PostgresStore
import ProjectionRunnerPostgres
import ProjectionRunnerSQLite

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a realistic demo store and keep appending to it.",
        discussion: """
            With neither flag: creates the store when missing, starts a live writer and a projection runner \
            beside it (child processes that end with the explorer; the runner logs to STORE.runner.log) and \
            opens the explorer on it. --create-only makes the store and exits. \
            --live appends to it until interrupted (creating it first when it does not exist). The demo marks the \
            stores it makes and writes to no other: an existing store it did not make is refused unless --force. \
            With a postgres://… URL as --store, the same in that database: an empty one gets the demo's tables \
            (loaded with COPY), one the demo made is reused, one that holds other tables is refused unless --force; \
            the writer and runner log to files in $XDG_STATE_HOME/eventscope (or ~/.local/state/eventscope).

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

    @Option(help: "The store's path (default: demo.db in the user's data directory), or a postgres://… URL.")
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
        if path.hasPrefix("postgres://") || path.hasPrefix("postgresql://") { return try await runPostgres(path) }
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
        let writer = try Self.startChild(["demo", "--live", "--store", path, "--rate", String(rate), "--parent-pid", String(getpid())]
            + (force ? ["--force"] : []), log: path + ".live.log")
        defer {
            writer.terminate()
            writer.waitUntilExit()
        }
        // The runner serves the demo's projections; order_history is left to no runner (its worker
        // crashed), so a rebuild request for it stays pending.
        let runner = try Self.startChild(["runner", path, "--parent-pid", String(getpid())], log: path + ".runner.log")
        defer {
            runner.terminate()
            runner.waitUntilExit()
        }
        // A newcomer sees the store live: the global log at the head, following.
        // The demo's runner reads the commands table: R files requests through the request connection.
        let rebuilds = await ExplorerRebuilds.forStore(path, reader: reader, config: .empty)
        try await Explore.open(reader, theme: chosen, opening: .followingLog, rebuilds: rebuilds)
    }

    /// This program in a child process (the writer, the runner), its standard error to `log`; given
    /// `--parent-pid`, it stops with this process.
    static func startChild(_ arguments: [String], log: String, environment: [String: String]? = nil) throws -> Process {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = arguments
        if let environment { child.environment = environment }
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle(forWritingAtPath: log) ?? FileHandle.nullDevice
        child.standardInput = FileHandle.nullDevice
        try child.run()
        return child
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
        let summary = try DemoStoreGenerator(events: events, seed: seed).create(at: path, progress: Self.progress(interactive))
        if interactive { Output.progress("\n") }
        report(summary, created: path)
    }

    /// Creation's progress on standard error: one line rewritten on a terminal, lines otherwise.
    static func progress(_ interactive: Bool) -> DemoStoreGenerator.Progress {
        { written, total, elapsed in
            let rate = Int(Double(written) / max(elapsed, 0.001))
            let line = "  \(written.formatted()) / \(total.formatted()) events  \(rate.formatted()) events/s"
            if interactive { Output.progress("\r" + line) } else { Output.note(line) }
        }
    }

    func report(_ summary: DemoStoreGenerator.Summary, created path: String) {
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

// MARK: - PostgreSQL

extension Demo {
    /// The demo in a PostgreSQL database: created there when it is empty (or replaced with
    /// --create-only --force), reused when the demo made it, refused when it holds other tables
    /// (unless --force); then the writer, or the writer, the runner and the explorer.
    func runPostgres(_ url: String) async throws {
        let target = try PostgresTarget.fromSystem(url: url)
        for warning in target.warnings { Output.note("eventscope: warning: \(warning)") }
        // Checked before anything is written: the writer must not touch a real store by mistake.
        var create = false, replacing = false
        switch try await DemoPostgres.inspect(target) {
        case .empty:
            create = true
        case .demo:
            if createOnly {
                guard force else {
                    throw StoreError.badArgument("\(target.location) already holds an eventscope demo: pass --force to replace it, or choose another --store")
                }
                (create, replacing) = (true, true)
            }
        case .other(let tables, let hasStore):
            guard force else { throw DemoPostgres.refusal(target, tables: tables) }
            if createOnly || !hasStore { (create, replacing) = (true, hasStore) }
        }
        if create {
            Output.note("creating the demo store in \(target.location) with \(events.formatted()) events (seed \(seed))")
            let interactive = isatty(STDERR_FILENO) == 1
            let summary = try await DemoStoreGenerator(events: events, seed: seed)
                .create(postgres: target, replacing: replacing, progress: Self.progress(interactive))
            if interactive { Output.progress("\n") }
            report(summary, created: target.location)
        }
        if live { try await runLive(target) } else if !createOnly { try await explore(url, target: target) }
    }

    func runLive(_ target: PostgresTarget) async throws {
        StopSignals.install()
        var writer = try DemoLivePostgresWriter(target: target, rate: rate)
        Output.note("appending to \(target.location) at \(rate.formatted()) events/s with bursts (Ctrl-C to stop)")
        let parent = parentPid
        let total = try await writer.run(shouldStop: { StopSignals.stop || (parent.map { getppid() != $0 } ?? false) }, report: { report in
            Output.note("  appended \(report.appended.formatted()) events, head \(report.head), \(report.skipped) positions skipped")
        }, note: { Output.note("  " + $0) })
        Output.note("stopped: appended \(total.appended.formatted()) events, head \(total.head)")
    }

    /// The writer and `eventscope runner` in child processes, logging to files in the state
    /// directory, and the explorer in this one. The children get the URL without its password and
    /// the password in PGPASSWORD: nothing shows it in a process list or a log.
    func explore(_ url: String, target: PostgresTarget) async throws {
        let chosen = try Explore.theme(named: theme)
        // The runner's tables exist before the explorer looks for them: R files requests from the start.
        let backend = PostgresRunnerBackend(target: target)
        do {
            try await backend.prepare()
        } catch {
            await backend.close()
            throw error
        }
        await backend.close()
        let reader = try await openStore(url, layout: nil)
        var environment = ProcessInfo.processInfo.environment
        if target.passwordSource == .url, let password = target.password { environment["PGPASSWORD"] = password }
        let childURL = Self.withoutPassword(url)
        let logs = try Self.logBase(for: target)
        let writer = try Self.startChild(["demo", "--live", "--store", childURL, "--rate", String(rate), "--parent-pid", String(getpid())]
            + (force ? ["--force"] : []), log: logs + ".live.log", environment: environment)
        defer {
            writer.terminate()
            writer.waitUntilExit()
        }
        let runner = try Self.startChild(["runner", childURL, "--parent-pid", String(getpid())], log: logs + ".runner.log",
                                         environment: environment)
        defer {
            runner.terminate()
            runner.waitUntilExit()
        }
        Output.note("the demo writer logs to \(logs).live.log, the runner to \(logs).runner.log")
        let rebuilds = await ExplorerRebuilds.forStore(url, reader: reader, config: .empty)
        try await Explore.open(reader, theme: chosen, opening: .followingLog, rebuilds: rebuilds)
    }

    /// Where a PostgreSQL demo's logs go (it has no file to put them beside): the user's state
    /// directory, one pair of files per server port and database.
    static func logBase(for target: PostgresTarget) throws -> String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (env["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        let directory = base + "/eventscope"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let name = "demo-postgres-\(target.endpoint.port)-\(target.database)".map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" }
        return directory + "/" + String(name)
    }

    /// The URL without a password (in the user part or a `password=` parameter).
    static func withoutPassword(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        var result = url
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        if let at = rest[..<authorityEnd].lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") {
            result = String(url[..<colon] + url[at...])
        }
        guard let query = result.firstIndex(of: "?") else { return result }
        let parameters = result[result.index(after: query)...].split(separator: "&").filter { !$0.lowercased().hasPrefix("password=") }
        return String(result[..<query]) + (parameters.isEmpty ? "" : "?" + parameters.joined(separator: "&"))
    }
}
