import EventStore

/// One set of checks every adapter × layout pair runs: each read of `StoreReader`, asked of the
/// adapter and of the oracle (an `InMemoryStore` holding the same rows), must give the same answer.
/// A new adapter or layout plugs in by building its store and its oracle and calling `mismatches()`.
public struct StoreConformance {
    public let subject: any StoreReader
    public let oracle: InMemoryStore

    public init(subject: any StoreReader, oracle: InMemoryStore) {
        self.subject = subject
        self.oracle = oracle
    }

    /// A description of every read on which the two disagree; empty when they conform.
    public func mismatches() async throws -> [String] {
        var found: [String] = []
        func check<T: Equatable>(_ what: String, _ a: T, _ b: T) {
            if a != b { found.append("\(what): adapter \(String(describing: a).prefix(300)) ≠ oracle \(String(describing: b).prefix(300))") }
        }
        let head = try await oracle.head()
        check("head", try await subject.head(), head)

        let events = oracle.eventRows
        let samples = Set([-1, 0, head / 3, head / 2, head - 5, head].map { max(-1, $0) } + events.prefix(3).map(\.globalPosition))
        let types = Array(Set(events.map(\.eventType))).sorted().prefix(2)
        for p in samples.sorted() {
            for limit in [1, 7, 50] {
                for typeSet in [Set<String>(), Set(types.prefix(1)), Set(types)] {
                    for hidden in [false, true] {
                        for anchor in [LogQuery.Anchor.after(.position(p)), .before(.position(p + 1))] {
                            let q = LogQuery(anchor: anchor, limit: limit, eventTypes: typeSet, includeHidden: hidden)
                            check("log \(q)", try await subject.log(q), try await oracle.log(q))
                        }
                    }
                }
            }
            check("event(at: \(p))", try await subject.event(at: p), try await oracle.event(at: p))
            check("events(in: \(p)…)", try await subject.events(in: [p...p + 2, p + 10...GlobalPosition.max], limit: 20),
                  try await oracle.events(in: [p...p + 2, p + 10...GlobalPosition.max], limit: 20))
            for types in [Set<String>(), Set(types.prefix(1))] {
                check("pending after \(p) \(types)", try await subject.pendingEvents(after: p, eventTypes: types, cap: 1_000_000),
                      try await oracle.pendingEvents(after: p, eventTypes: types, cap: 1_000_000))
                check("pending after \(p) capped", try await subject.pendingEvents(after: p, eventTypes: types, cap: 3),
                      try await oracle.pendingEvents(after: p, eventTypes: types, cap: 3))
            }
        }
        if head >= 0 {
            for window in [0...head, max(0, head / 2)...head, 0...max(0, head / 4)] {
                for orphans in [false, true] {
                    check("gaps \(window) orphans \(orphans)", try await subject.gaps(in: window, limit: 10_000, includeOrphans: orphans),
                          try await oracle.gaps(in: window, limit: 10_000, includeOrphans: orphans))
                }
                check("gaps \(window) limit 2", try await subject.gaps(in: window, limit: 2), try await oracle.gaps(in: window, limit: 2))
            }
        }

        // Streams: a walk by cursor, a category, a prefix; each stream's events both ways.
        var after: String?
        for _ in 0..<3 {
            let q = StreamQuery(after: after, limit: 25)
            let page = try await oracle.streams(q)
            check("streams after \(after ?? "start")", try await subject.streams(q), page)
            after = page.last?.id
        }
        let ids = oracle.streamRows.map(\.id).sorted(by: InMemoryStore.precedes)
        if let first = ids.first {
            let category = StreamSummary.category(of: first)
            for q in [StreamQuery(filter: .category(category), limit: 20), StreamQuery(filter: .prefix(String(first.prefix(3))), limit: 20)] {
                check("streams \(q.filter)", try await subject.streams(q), try await oracle.streams(q))
            }
        }
        for id in [ids.first, ids.dropFirst(ids.count / 2).first, ids.last, "No-such-stream"].compactMap({ $0 }) {
            check("stream \(id)", try await subject.stream(id: id), try await oracle.stream(id: id))
            for q in [StreamEventsQuery(streamId: id, limit: 5), StreamEventsQuery(streamId: id, from: 1, limit: 5),
                      StreamEventsQuery(streamId: id, direction: .backwards, limit: 5),
                      StreamEventsQuery(streamId: id, from: 2, direction: .backwards, limit: 5)] {
                check("stream events \(q)", try await subject.streamEvents(q), try await oracle.streamEvents(q))
            }
        }

        for q in [StreamQuery(limit: 25, direction: .backwards), StreamQuery(after: ids.dropFirst(ids.count / 2).first, limit: 25, direction: .backwards)] {
            check("streams backwards \(q)", try await subject.streams(q), try await oracle.streams(q))
        }
        for filter in [StreamQuery.Filter.none, .prefix(String(ids.first?.prefix(2) ?? "")), .category("No")] {
            for cap: Int64 in [1, 1_000_000] {
                check("count streams \(filter) cap \(cap)", try await subject.countStreams(filter, cap: cap),
                      try await oracle.countStreams(filter, cap: cap))
            }
        }
        for prefix in ["", String(types.first?.prefix(3) ?? ""), "NoSuchType"] {
            check("event types \(prefix)", try await subject.eventTypes(prefix: prefix, limit: 50),
                  try await oracle.eventTypes(prefix: prefix, limit: 50))
        }
        for id in events.prefix(3).map(\.eventId) + ["no-such-event"] {
            check("event(id: \(id))", try await subject.event(id: id), try await oracle.event(id: id))
        }
        let projections = Set((oracle.deadLetterRows ?? []).map(\.projectionName)).sorted()
        for q in [DeadLetterQuery(), DeadLetterQuery(limit: 1), DeadLetterQuery(after: 1), DeadLetterQuery(status: "failed"),
                  DeadLetterQuery(projection: projections.first), DeadLetterQuery(projection: "nobody")] {
            check("dead letters \(q)", try await subject.deadLetters(q), try await oracle.deadLetters(q))
        }
        var outbox = try await subject.outboxSummary()
        if let known = oracle.outbox { outbox?.databaseNow = known.databaseNow }
        check("outbox", outbox, oracle.outbox)
        check("soft-deleted streams", try await subject.softDeletedStreams(), try await oracle.softDeletedStreams())
        check("checkpoints", try await subject.checkpoints(), try await oracle.checkpoints())
        check("leases", try await subject.leases(), try await oracle.leases())
        check("snapshots", try await subject.snapshots(after: nil, limit: 50), try await oracle.snapshots(after: nil, limit: 50))
        check("runner statuses", try await subject.runnerStatuses(), try await oracle.runnerStatuses())
        let requested = Array(Set(oracle.commandRows?.map(\.projectionName) ?? [])).sorted().prefix(2)
        for projection in [nil, "No-such-projection"] + requested.map(Optional.some) {
            for limit in [1, 3, 1_000] {
                check("command requests \(projection ?? "all") limit \(limit)", try await subject.commandRequests(projection: projection, limit: limit),
                      try await oracle.commandRequests(projection: projection, limit: limit))
            }
        }
        let typed = Dictionary(uniqueKeysWithValues: oracle.checkpointRows.prefix(1).map { ($0.projectionName, Set(types.prefix(1))) })
        for request in [ProgressRequest(), ProgressRequest(pendingCap: 2), ProgressRequest(eventTypes: typed)] {
            var a = try await subject.projectionProgress(request)
            let b = try await oracle.projectionProgress(request)
            a.databaseNow = b.databaseNow
            check("projection progress \(request)", a, b)
        }
        return found
    }
}
