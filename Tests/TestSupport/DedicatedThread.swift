import Foundation

/// Runs long synchronous work (making a fixture, reading a whole store into memory) on a thread of
/// its own and awaits it, so it never holds one of the cooperative pool's threads (two on a 2-core
/// machine), which every other test's tasks and timers need to make progress.
public func onDedicatedThread<Value>(_ work: @escaping @Sendable () throws -> sending Value) async throws -> sending Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread {
            do { continuation.resume(returning: try work()) } catch { continuation.resume(throwing: error) }
        }.start()
    }
}
