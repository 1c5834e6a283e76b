import EventStore

/// Runs queries against the store off the input loop. A newer query for a slot cancels the older
/// one; a query still running after `spinnerDelay` reports `.slow` so its pane shows a spinner.
/// Owned by the loop that calls it (one task); the queries themselves run on their own tasks.
public struct EffectRunner {
    let reader: any StoreReader
    let send: @Sendable (Action) -> Void
    let spinnerDelay: Duration
    var running: [Slot: Task<Void, Never>] = [:]

    public init(reader: any StoreReader, spinnerDelay: Duration = .milliseconds(150), send: @escaping @Sendable (Action) -> Void) {
        self.reader = reader
        self.send = send
        self.spinnerDelay = spinnerDelay
    }

    /// Starts a query; its outcome arrives later through `send`.
    public mutating func start(id: Int, slot: Slot, query: Query) {
        running[slot]?.cancel()
        let reader = self.reader, send = self.send, delay = spinnerDelay
        running[slot] = Task {
            let spinner = Task {
                try? await Task.sleep(for: delay)
                if !Task.isCancelled { send(.slow(id: id)) }
            }
            defer { spinner.cancel() }
            do {
                let result = try await query.execute(on: reader)
                if !Task.isCancelled { send(.loaded(id: id, result)) }
            } catch {
                if !Task.isCancelled { send(.failed(id: id, message: "\(reader.info.location): \(error)")) }
            }
        }
    }

    public mutating func cancelAll() {
        for task in running.values { task.cancel() }
        running = [:]
    }
}
