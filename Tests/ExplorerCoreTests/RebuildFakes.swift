import EventStore
import ExplorerCore
import Synchronization

/// A requester that records every call and answers with the next id, or fails as told.
final class RecordingRequester: CommandRequester {
    struct Call: Sendable, Hashable {
        var command: String
        var projection: String
        var requestedBy: String
    }
    struct Refused: Error, CustomStringConvertible {
        var description: String
    }

    private let recorded = Mutex<[Call]>([])
    let failure: String?

    init(failing failure: String? = nil) {
        self.failure = failure
    }

    var calls: [Call] { recorded.withLock { $0 } }

    func request(_ command: String, projection: String, requestedBy: String) async throws -> Int64 {
        let count = recorded.withLock { calls in
            calls.append(Call(command: command, projection: projection, requestedBy: requestedBy))
            return calls.count
        }
        if let failure { throw Refused(description: failure) }
        return Int64(40 + count)
    }
}

/// A launcher that records argument lists and plays back canned output and an exit.
final class ScriptedLauncher: CommandLauncher {
    private let recorded = Mutex<[[String]]>([])
    let output: [CommandOutput]
    let exit: CommandExit

    init(output: [CommandOutput], exit: CommandExit) {
        self.output = output
        self.exit = exit
    }

    var runs: [[String]] { recorded.withLock { $0 } }

    func run(_ arguments: [String], output send: @escaping @Sendable ([CommandOutput]) -> Void) async -> CommandExit {
        recorded.withLock { $0.append(arguments) }
        for line in output { send([line]) }
        return exit
    }
}

extension Fixture {
    /// The fixture with a runner's tables: `orders` takes the two order types, is served by
    /// `runner-7` (lease live until 12:00:25) at 2 events/s; `balances` has a status row too.
    static var runnerStore: FakeStore {
        var store = Fixture.store
        store.leaseRows.append(Lease(projectionName: "orders", holderId: "runner-7", acquiredAt: nil, renewedAt: nil,
                                     expiresAt: StoreTime(text: "2026-11-22T12:00:25Z")))
        store.runnerStatusRows = [
            RunnerStatus(projectionName: "balances", state: .running, holderId: "runner-1", checkpoint: 7, eventsPerSecond: 812.4),
            RunnerStatus(projectionName: "orders", state: .running, holderId: "runner-7", heartbeatAt: StoreTime(text: "2026-11-22T11:59:58Z"),
                         checkpoint: 2, eventTypes: ["OrderPlaced", "OrderShipped"], eventsPerSecond: 2),
        ]
        store.commandRows = []
        return store
    }

    static func request(_ id: Int64, _ projection: String, _ status: CommandRequest.Status, detail: String? = nil,
                        finished: String? = nil) -> CommandRequest {
        CommandRequest(id: id, projectionName: projection, command: "rebuild", requestedBy: "ada@ops", requestedAt: StoreTime(text: "2026-11-22T11:59:00Z"),
                       status: status, startedAt: status == .pending ? nil : StoreTime(text: "2026-11-22T11:59:10Z"),
                       finishedAt: finished.map { StoreTime(text: "2026-11-22T\($0)Z") }, detail: detail)
    }

    /// A headless explorer with rebuild wiring, started.
    static func rebuildExplorer(width: Int = 100, height: Int = 16, store: FakeStore = Fixture.runnerStore,
                                setup: RebuildSetup = RebuildSetup(), requester: (any CommandRequester)? = nil,
                                launcher: (any CommandLauncher)? = nil) async -> HeadlessExplorer {
        var explorer = HeadlessExplorer(reader: store, width: width, height: height, themes: themes, now: now,
                                        rebuildSetup: setup, requester: requester, launcher: launcher)
        await explorer.start()
        return explorer
    }
}
