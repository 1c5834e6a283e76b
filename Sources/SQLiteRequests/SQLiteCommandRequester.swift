import EventStore
import Foundation

/// Files operator requests into a SQLite store's `es_projection_commands`, each through a
/// `RequestConnection` of its own (opened, used once, closed), so nothing stays open between
/// requests and the read-only adapter never gains a way to write.
public struct SQLiteCommandRequester: CommandRequester {
    public let path: String
    public var busyTimeout: Double
    /// The wall clock that dates a request: read at the edge, replaceable in tests.
    public var now: @Sendable () -> Timestamp

    public init(path: String, busyTimeout: Double = 5, now: @escaping @Sendable () -> Timestamp = { Timestamp.now() }) {
        self.path = path
        self.busyTimeout = busyTimeout
        self.now = now
    }

    /// Files a `pending` request and returns its id. Throws `RequestError`. The blocking SQLite
    /// work (which may wait `busyTimeout` for a lock) runs on a thread of its own, never on one of
    /// the cooperative pool's.
    public func request(_ command: String, projection: String, requestedBy: String) async throws -> Int64 {
        let (path, busyTimeout, requestedAt) = (path, busyTimeout, now())
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int64, any Error>) in
            let thread = Thread {
                do {
                    let connection = try RequestConnection.open(path: path, busyTimeout: busyTimeout)
                    defer { connection.close() }
                    continuation.resume(returning: try connection.insertRequest(command, projection: projection,
                                                                                requestedBy: requestedBy, requestedAt: requestedAt))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "eventscope.request"
            thread.start()
        }
    }
}
