import DemoStore
import EventStore
import Foundation

/// Demo stores made once per test process and shared by every test that reads them.
public enum DemoFixture {
    public struct Store: Sendable {
        public let path: String
        public let summary: DemoStoreGenerator.Summary
        /// The time the demo was written as of: status words judged "now" must use it, since a
        /// loaded machine can take longer than the stall threshold between making and reading.
        public let madeAt: Timestamp
        public let seed: UInt64
    }

    /// 20,000 events: several gap runs, the deleted stream, every checkpoint kind.
    public static let standard: Store = make(events: 20_000, seed: 7)

    /// `standard` for async tests: made, or waited for, on a thread of its own rather than on one
    /// the other tests' tasks need (making it takes seconds on a debug build).
    public static var standardStore: Store {
        get async throws { try await onDedicatedThread { standard } }
    }

    public static func make(events: Int, seed: UInt64) -> Store {
        let directory = TemporaryDirectory("eventscope-demo")
        let path = directory.file("demo.db")
        let madeAt = Timestamp.now()
        let summary = try! DemoStoreGenerator(events: events, seed: seed, now: madeAt).create(at: path)
        return Store(path: path, summary: summary, madeAt: madeAt, seed: seed)
    }
}
