/// The table layouts eventscope knows (SPEC §3). Each adapter maps one or more onto `StoreReader`.
public enum StoreLayout: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case waku
    case eventsourcePy = "eventsource-py"
    case lexigram
    case minimal

    public var description: String { rawValue }

    /// What a reader of this layout can answer; panes and commands ask instead of assuming.
    public var capabilities: StoreCapabilities {
        switch self {
        case .waku: [.globalPositions, .streamsTable, .checkpoints, .leases, .gaps, .softDeletes, .snapshots]
        case .eventsourcePy: [.globalPositions, .checkpoints, .gaps, .snapshots, .deadLetters, .outbox]
        case .lexigram: [.globalPositions, .checkpoints, .leases, .gaps, .snapshots]
        case .minimal: []
        }
    }

    /// The tables and columns that identify the layout; a catalog holding them is this layout.
    public var signature: [String: Set<String>] {
        switch self {
        case .waku: [WakuSchema.events: WakuSchema.eventColumns, WakuSchema.streams: WakuSchema.streamColumns]
        case .eventsourcePy: ["events": ["global_position", "event_id", "aggregate_id", "aggregate_type", "event_type", "version", "payload"]]
        case .lexigram: ["events": ["global_sequence", "stream_id", "stream_version", "event_id", "event_type", "event_data"]]
        case .minimal: ["events": ["id", "name", "payload", "stream", "timestamp"]]
        }
    }
}

/// What a store's layout can answer.
public struct StoreCapabilities: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// A store-wide ordinal with gaps; without it the log is ordered by the adapter's own key.
    public static let globalPositions = StoreCapabilities(rawValue: 1 << 0)
    /// A table of streams with versions and times (waku's `es_streams`).
    public static let streamsTable = StoreCapabilities(rawValue: 1 << 1)
    public static let checkpoints = StoreCapabilities(rawValue: 1 << 2)
    public static let leases = StoreCapabilities(rawValue: 1 << 3)
    public static let gaps = StoreCapabilities(rawValue: 1 << 4)
    /// Streams can be soft-deleted: their events stay but projections no longer see them.
    public static let softDeletes = StoreCapabilities(rawValue: 1 << 5)
    public static let snapshots = StoreCapabilities(rawValue: 1 << 6)
    public static let deadLetters = StoreCapabilities(rawValue: 1 << 7)
    public static let outbox = StoreCapabilities(rawValue: 1 << 8)
    /// The library reads behind a transaction horizon (eventsource-py on PostgreSQL): the reader
    /// is a `VisibilityHorizonReader`. Set by the adapter, not by the layout alone.
    public static let visibilityHorizon = StoreCapabilities(rawValue: 1 << 9)
}

/// The tables of a database and their columns, as an engine's catalog lists them.
public typealias SchemaCatalog = [String: Set<String>]

extension StoreLayout {
    /// Recognises the layout from the tables present: a pure function of the catalog each engine
    /// reads (`sqlite_master`, `information_schema`). A table named like a layout's but lacking
    /// its columns is reported as such, so an operator learns what is wrong rather than "not a store".
    public static func detect(in catalog: SchemaCatalog) -> Result<StoreLayout, LayoutMismatch> {
        if let layout = allCases.first(where: { $0.matches(catalog) }) { return .success(layout) }
        for layout in allCases {
            for (table, columns) in layout.signature.sorted(by: { $0.key < $1.key }) {
                guard let present = catalog[table] else { continue }
                let missing = columns.subtracting(present)
                // `events` is every Python library's name: blame a layout only for a near miss.
                if !missing.isEmpty, layout == .waku || missing.count <= 1 {
                    return .failure(LayoutMismatch(
                        reason: "\(table) lacks the \(layout) column(s) \(missing.sorted().joined(separator: ", ")): is this a \(layout) store?",
                        catalog: catalog))
                }
            }
        }
        if catalog[WakuSchema.events] != nil {
            return .failure(LayoutMismatch(reason: "\(WakuSchema.events) has no \(WakuSchema.streams) beside it: is this a waku store?", catalog: catalog))
        }
        return .failure(LayoutMismatch(reason: nil, catalog: catalog))
    }

    /// Whether the catalog holds every table and column of the layout's signature.
    public func matches(_ catalog: SchemaCatalog) -> Bool {
        signature.allSatisfy { table, columns in catalog[table].map(columns.isSubset(of:)) ?? false }
    }
}

/// Why a database is none of the known layouts.
public struct LayoutMismatch: Error, Sendable, Hashable, CustomStringConvertible {
    /// A specific reason when a layout's table is there but wrong; nil when nothing matched at all.
    public var reason: String?
    public var catalog: SchemaCatalog

    public var description: String {
        if let reason { return reason }
        let lookedFor = StoreLayout.allCases.map { layout in
            "\(layout) (" + layout.signature.keys.sorted().joined(separator: ", ") + ")"
        }.joined(separator: ", ")
        let found = catalog.keys.sorted().prefix(8).joined(separator: ", ")
        return "no known layout: looked for " + lookedFor
            + (found.isEmpty ? "; the database has no tables" : "; found tables: " + found + (catalog.count > 8 ? ", …" : ""))
    }
}

extension StoreCapabilities {
    /// The concept in words, as a sentence about a layout that lacks it ends.
    var missingWords: String {
        switch self {
        case .globalPositions: "global positions"
        case .checkpoints: "checkpoints"
        case .leases: "leases"
        case .gaps: "global positions, so no gaps"
        case .softDeletes: "soft deletes"
        case .snapshots: "snapshots"
        case .deadLetters: "dead letters"
        case .outbox: "outbox"
        case .streamsTable: "table of streams"
        default: "such records"
        }
    }
}

extension StoreInfo {
    /// What a pane or command says instead of an empty table when the layout lacks a concept
    /// ("this store's layout (minimal) has no checkpoints"); nil when it has it.
    public func lacking(_ capability: StoreCapabilities) -> String? {
        capabilities.contains(capability) ? nil : "this store's layout (\(layout)) has no \(capability.missingWords)"
    }
}

extension StoreLayout {
    /// The layout of a database whose tables are `catalog`: `forced` when its tables are there,
    /// else the one detected; either failure as the one line an operator can act on. `scope` ends
    /// a detection failure's reason (e.g. " (on the search path)").
    public static func resolve(in catalog: SchemaCatalog, forced: StoreLayout?, location: String,
                               scope: String = "") throws(StoreError) -> StoreLayout {
        if let forced {
            guard forced.matches(catalog) else {
                let missing = forced.signature.map { table, columns in
                    catalog[table].map { "\(table) lacks " + columns.subtracting($0).sorted().joined(separator: ", ") } ?? "no \(table) table"
                }.sorted()
                throw .notAStore(location: location, reason: "--layout \(forced): " + missing.joined(separator: "; "))
            }
            return forced
        }
        switch detect(in: catalog) {
        case .success(let found): return found
        case .failure(let mismatch): throw .notAStore(location: location, reason: mismatch.description + scope)
        }
    }
}
