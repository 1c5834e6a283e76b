import DemoStore
import EventStore
import Foundation

/// Demo stores made once per test process and shared by every test that reads them.
public enum DemoFixture {
    public struct Store: Sendable {
        public let path: String
        public let summary: DemoStoreGenerator.Summary
    }

    /// 20,000 events: several gap runs, the deleted stream, every checkpoint kind.
    public static let standard: Store = make(events: 20_000, seed: 7)

    public static func make(events: Int, seed: UInt64) -> Store {
        let directory = TemporaryDirectory("eventscope-demo")
        let path = directory.file("demo.db")
        let summary = try! DemoStoreGenerator(events: events, seed: seed).create(at: path)
        return Store(path: path, summary: summary)
    }
}
