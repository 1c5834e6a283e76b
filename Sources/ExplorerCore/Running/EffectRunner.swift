import EventStore
import Synchronization

/// Runs queries against the store off the input loop. A newer query for a slot cancels the older
/// one; a query still running `spinnerDelay` after it started (on the injected clock) reports
/// `.slow` so its pane shows a spinner. A class, so every holder shares one set of running tasks.
///
/// It also carries out the explorer's one write (a rebuild request, through `requester`) and runs
/// configured rebuild commands (through `launcher`); either may be absent.
public final class EffectRunner: Sendable {
    let reader: any StoreReader
    let send: @Sendable (Action) -> Void
    let clock: any Clock<Duration>
    let spinnerDelay: Duration
    let requester: (any CommandRequester)?
    let requestedBy: String
    let launcher: (any CommandLauncher)?
    private let running = Mutex<[Slot: Task<Void, Never>]>([:])
    /// Requests being filed and commands running, by their run id (requests use negative keys).
    private let other = Mutex<[Int: Task<Void, Never>]>([:])
    private let requestKeys = Mutex(0)

    public init(reader: any StoreReader, clock: any Clock<Duration>, spinnerDelay: Duration = .milliseconds(150),
                requester: (any CommandRequester)? = nil, requestedBy: String = "eventscope explorer",
                launcher: (any CommandLauncher)? = nil, send: @escaping @Sendable (Action) -> Void) {
        self.reader = reader
        self.clock = clock
        self.spinnerDelay = spinnerDelay
        self.requester = requester
        self.requestedBy = requestedBy
        self.launcher = launcher
        self.send = send
    }

    /// Files a rebuild request; the outcome arrives as `.rebuildRequested` or `.rebuildRequestFailed`.
    public func requestRebuild(_ projection: String) {
        let send = self.send, requestedBy = self.requestedBy, location = reader.info.location
        guard let requester else {
            send(.rebuildRequestFailed(projection: projection, message: "this explorer has no request connection to the store"))
            return
        }
        let key = requestKeys.withLock { $0 -= 1; return $0 }
        track(key, Task {
            do {
                let id = try await requester.request(RunnerSchema.rebuild, projection: projection, requestedBy: requestedBy)
                send(.rebuildRequested(projection: projection, requestID: id))
            } catch {
                send(.rebuildRequestFailed(projection: projection, message: StoreError.message(for: error, at: location)))
            }
        })
    }

    /// Runs a configured command; its lines arrive as `.commandOutput`, its end as `.commandEnded`.
    public func runCommand(run: Int, arguments: [String]) {
        let send = self.send
        guard let launcher else {
            send(.commandEnded(run: run, .failedToStart("this explorer cannot run commands")))
            return
        }
        track(run, Task {
            let exit = await launcher.run(arguments) { lines in send(.commandOutput(run: run, lines)) }
            send(.commandEnded(run: run, exit))
        })
    }

    /// Stops a running command (its task is cancelled; the launcher ends the process).
    public func stopCommand(run: Int) {
        other.withLock { $0[run] }?.cancel()
    }

    private func track(_ key: Int, _ task: Task<Void, Never>) {
        other.withLock { $0[key] = task }
        // Forget it once done, so the table holds only what still runs.
        Task { [weak self] in
            await task.value
            self?.other.withLock { tasks in if tasks[key] == task { tasks[key] = nil } }
        }
    }

    /// Starts a query; its outcome arrives later through `send`.
    public func start(id: Int, slot: Slot, query: Query) {
        let reader = self.reader, send = self.send
        // The deadline is taken now, so a test clock advanced before the task runs still counts.
        let spinner = Self.timer(on: clock, after: spinnerDelay)
        let task = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    do { try await spinner() } catch { return }
                    if !Task.isCancelled { send(.slow(id: id)) }
                }
                let outcome: Action
                do {
                    outcome = .loaded(id: id, try await query.execute(on: reader))
                } catch {
                    outcome = .failure(id: id, error, at: reader.info.location)
                }
                group.cancelAll()
                if !Task.isCancelled { send(outcome) }
            }
        }
        let older = running.withLock { tasks in
            defer { tasks[slot] = task }
            return tasks[slot]
        }
        older?.cancel()
    }

    /// Cancels every query and stops every command (quitting the explorer stops what it started).
    public func cancelAll() {
        let tasks = running.withLock { tasks in
            defer { tasks = [:] }
            return Array(tasks.values)
        } + other.withLock { tasks in
            defer { tasks = [:] }
            return Array(tasks.values)
        }
        for task in tasks { task.cancel() }
    }

    /// Cancels everything and waits until every command has ended (its process stopped): what
    /// quitting the explorer does, so no command outlives it unseen.
    public func stopAll() async {
        let commands = other.withLock { Array($0.values) }
        cancelAll()
        for task in commands { await task.value }
    }

    /// Waits until the latest query of every slot has finished and sent its outcome (superseded
    /// ones are cancelled and send nothing), and every request and command has ended. Tests wait
    /// on this instead of sleeping.
    public func finish() async {
        for task in running.withLock({ Array($0.values) }) { await task.value }
        for task in other.withLock({ Array($0.values) }) { await task.value }
    }

    /// Carries out any effect that is the runner's: queries, requests, commands. False for the
    /// ones the caller handles itself (the clipboard, themes, suspending, quitting).
    @discardableResult
    public func perform(_ effect: Effect) -> Bool {
        switch effect {
        case .query(let id, let slot, let query): start(id: id, slot: slot, query: query)
        case .requestRebuild(let projection): requestRebuild(projection)
        case .runCommand(let run, let arguments): runCommand(run: run, arguments: arguments)
        case .stopCommand(let run): stopCommand(run: run)
        case .copyToClipboard, .loadTheme, .suspend, .page, .quit: return false
        }
        return true
    }

    /// Sleeps until `delay` after now, with the deadline fixed when this is called.
    static func timer<C: Clock<Duration>>(on clock: C, after delay: Duration) -> @Sendable () async throws -> Void {
        let deadline = clock.now.advanced(by: delay)
        return { try await clock.sleep(until: deadline, tolerance: nil) }
    }
}
