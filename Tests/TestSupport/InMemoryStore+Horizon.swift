import EventStore

extension InMemoryStore: VisibilityHorizonReader {
    /// The horizon as the test set it, its counts cut at `cap` as a real reader's are.
    public func visibilityHorizon(cap: Int64) async throws -> VisibilityHorizon? {
        guard var horizon else { return nil }
        func capped(_ count: PendingCount) -> PendingCount {
            count.count > cap ? PendingCount(count: cap, isCapped: true) : count
        }
        horizon.hidden = capped(horizon.hidden)
        horizon.fromAnotherCluster = capped(horizon.fromAnotherCluster)
        return horizon
    }
}
