import EventStore
import Synchronization

/// Runs queries against the store off the input loop. A newer query for a slot cancels the older
/// one; a query still running `spinnerDelay` after it started (on the injected clock) reports
/// `.slow` so its pane shows a spinner. A class, so every holder shares one set of running tasks.
public final class EffectRunner: Sendable {
    let reader: any StoreReader
    let send: @Sendable (Action) -> Void
    let clock: any Clock<Duration>
    let spinnerDelay: Duration
    private let running = Mutex<[Slot: Task<Void, Never>]>([:])

    public init(reader: any StoreReader, clock: any Clock<Duration>, spinnerDelay: Duration = .milliseconds(150),
                send: @escaping @Sendable (Action) -> Void) {
        self.reader = reader
        self.clock = clock
        self.spinnerDelay = spinnerDelay
        self.send = send
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
                    outcome = .failed(id: id, message: StoreError.message(for: error, at: reader.info.location))
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

    public func cancelAll() {
        let tasks = running.withLock { tasks in
            defer { tasks = [:] }
            return Array(tasks.values)
        }
        for task in tasks { task.cancel() }
    }

    /// Waits until the latest query of every slot has finished and sent its outcome (superseded
    /// ones are cancelled and send nothing). Tests wait on this instead of sleeping.
    public func finish() async {
        for task in running.withLock({ Array($0.values) }) { await task.value }
    }

    /// Sleeps until `delay` after now, with the deadline fixed when this is called.
    static func timer<C: Clock<Duration>>(on clock: C, after delay: Duration) -> @Sendable () async throws -> Void {
        let deadline = clock.now.advanced(by: delay)
        return { try await clock.sleep(until: deadline, tolerance: nil) }
    }
}
