import EventStore
import Foundation

/// The demo's streams, kept as compact per-category arrays so ten million events fit in memory.
struct DemoStreams {
    struct Ref: Hashable {
        var category: EventFactory.Category
        var index: Int
    }

    /// Per category, by `Category.ordinal`: arrays, not dictionaries, since every event reads them.
    private var versions = [[Int32]](repeating: [], count: EventFactory.Category.allCases.count)
    private var created = [[Int64]](repeating: [], count: EventFactory.Category.allCases.count)
    private var updated = [[Int64]](repeating: [], count: EventFactory.Category.allCases.count)

    var count: Int { versions.reduce(0) { $0 + $1.count } }

    /// A unique 8-hex-digit key: a bijective scramble of the index, so ids are not sequential.
    func key(_ ref: Ref) -> String { hex(UInt64(keyValue(ref)), 8) }

    func keyValue(_ ref: Ref) -> UInt32 {
        var x = (UInt32(truncatingIfNeeded: ref.index) &+ 0x6A09_E667) &* 0x9E37_79B1
        x ^= x >> 16
        x = x &* 0x85EB_CA6B
        x ^= x >> 13
        return x
    }

    func id(_ ref: Ref) -> String { ref.category.rawValue + "-" + key(ref) }

    /// Writes the stream's id and, into `key`, its key alone.
    func writeId(_ ref: Ref, into out: inout DemoBytes, key: inout DemoBytes) {
        key.reset()
        key.append(hex: UInt64(keyValue(ref)), digits: 8)
        out.append(ref.category.name)
        out.append(0x2D)
        out.append(key.bytes)
    }

    func version(_ ref: Ref) -> Int64 { Int64(versions[ref.category.ordinal][ref.index]) }

    mutating func create(_ category: EventFactory.Category, at time: Timestamp) -> Ref {
        let c = category.ordinal
        let ref = Ref(category: category, index: versions[c].count)
        versions[c].append(-1)
        created[c].append(time.microseconds)
        updated[c].append(time.microseconds)
        return ref
    }

    /// Mostly a recently active stream of a weighted category, sometimes a new one, rarely an old one.
    /// `excluding` is a stream no random event may land on (the one that will be deleted).
    mutating func choose(at time: Timestamp, excluding: Ref?, rng: inout SplitMix64) -> Ref {
        let category = EventFactory.Category.weighted(&rng)
        let n = versions[category.ordinal].count
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
        let c = ref.category.ordinal
        versions[c][ref.index] += 1
        updated[c][ref.index] = time.microseconds
        return Int64(versions[c][ref.index])
    }

    func snapshotCandidates(count: Int) -> [Ref] {
        let accounts = versions[EventFactory.Category.account.ordinal]
        return accounts.indices.lazy.filter { accounts[$0] >= 2 }.prefix(count).map { Ref(category: .account, index: $0) }
    }

    /// A place in the list of streams, category by category: where the next slice of rows starts.
    struct Cursor {
        var category = 0, index = 0
    }

    /// es_streams' rows from `cursor` on, at most `limit`, advancing it; empty at the end.
    func rows(from cursor: inout Cursor, limit: Int, deleted: Ref?, deletedAt: Timestamp) -> [[DemoValue]] {
        var out: [[DemoValue]] = []
        let categories = EventFactory.Category.allCases
        while out.count < limit, cursor.category < categories.count {
            let category = categories[cursor.category]
            let c = category.ordinal, list = versions[c]
            guard cursor.index < list.count else {
                cursor = Cursor(category: cursor.category + 1, index: 0)
                continue
            }
            let index = cursor.index
            let ref = Ref(category: category, index: index)
            out.append([.text(id(ref)), .text(category.rawValue), .int(Int64(list[index])),
                        .text(Timestamp(microseconds: created[c][index]).iso8601),
                        .text(Timestamp(microseconds: updated[c][index]).iso8601),
                        ref == deleted ? .text(deletedAt.iso8601) : .null])
            cursor.index += 1
        }
        return out
    }

    static let columns = ["stream_id", "stream_type", "version", "created_at", "updated_at", "deleted_at"]
}
