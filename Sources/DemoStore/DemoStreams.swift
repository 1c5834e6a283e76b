import EventStore
import Foundation
import GRDB

/// The demo's streams, kept as compact per-category arrays so ten million events fit in memory.
struct DemoStreams {
    struct Ref: Hashable {
        var category: EventFactory.Category
        var index: Int
    }

    private var versions: [EventFactory.Category: [Int32]] = [:]
    private var created: [EventFactory.Category: [Int64]] = [:]
    private var updated: [EventFactory.Category: [Int64]] = [:]

    var count: Int { versions.values.reduce(0) { $0 + $1.count } }

    /// A unique 8-hex-digit key: a bijective scramble of the index, so ids are not sequential.
    func key(_ ref: Ref) -> String {
        var x = (UInt32(truncatingIfNeeded: ref.index) &+ 0x6A09_E667) &* 0x9E37_79B1
        x ^= x >> 16
        x = x &* 0x85EB_CA6B
        x ^= x >> 13
        return hex(UInt64(x), 8)
    }

    func id(_ ref: Ref) -> String { ref.category.rawValue + "-" + key(ref) }
    func version(_ ref: Ref) -> Int64 { Int64(versions[ref.category]![ref.index]) }

    mutating func create(_ category: EventFactory.Category, at time: Timestamp) -> Ref {
        let ref = Ref(category: category, index: versions[category, default: []].count)
        versions[category, default: []].append(-1)
        created[category, default: []].append(time.microseconds)
        updated[category, default: []].append(time.microseconds)
        return ref
    }

    /// Mostly a recently active stream of a weighted category, sometimes a new one, rarely an old one.
    /// `excluding` is a stream no random event may land on (the one that will be deleted).
    mutating func choose(at time: Timestamp, excluding: Ref?, rng: inout SplitMix64) -> Ref {
        let category = EventFactory.Category.weighted(&rng)
        let n = versions[category]?.count ?? 0
        if n == 0 || rng.chance(0.09) { return create(category, at: time) }
        let chosen: Ref
        if rng.chance(0.05) {
            chosen = Ref(category: category, index: Int.random(in: 0..<n, using: &rng))
        } else {
            let back = Int(-log(Double.random(in: 0.0001..<1, using: &rng)) * 40)
            chosen = Ref(category: category, index: max(0, n - 1 - back))
        }
        return chosen == excluding ? create(category, at: time) : chosen
    }

    /// Records an event on the stream and returns its stream position.
    mutating func append(_ ref: Ref, at time: Timestamp) -> Int64 {
        versions[ref.category]![ref.index] += 1
        updated[ref.category]![ref.index] = time.microseconds
        return Int64(versions[ref.category]![ref.index])
    }

    func snapshotCandidates(count: Int) -> [Ref] {
        let accounts = versions[.account] ?? []
        return accounts.indices.lazy.filter { accounts[$0] >= 2 }.prefix(count).map { Ref(category: .account, index: $0) }
    }

    func insertRows(_ db: Database, deleted: Ref?, deletedAt: Timestamp) throws {
        let insert = try db.makeStatement(sql: "INSERT INTO es_streams VALUES (?, ?, ?, ?, ?, ?)")
        for (category, list) in versions {
            for index in list.indices {
                let ref = Ref(category: category, index: index)
                let deletedText: String? = ref == deleted ? deletedAt.iso8601 : nil
                try insert.execute(arguments: [id(ref), category.rawValue, Int64(list[index]),
                                               Timestamp(microseconds: created[category]![index]).iso8601,
                                               Timestamp(microseconds: updated[category]![index]).iso8601, deletedText])
            }
        }
    }
}
