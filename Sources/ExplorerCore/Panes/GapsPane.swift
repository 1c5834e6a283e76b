import EventStore

/// The Gaps pane (SPEC §5): runs from the last refresh, with when this session first saw each,
/// in flight until the gap timeout, then stale.
public struct GapsPane: Pane {
    public var rows: [Gap] = []
    public var statuses: [ProjectionStatus] = []
    /// The last scan's runs, so a refresh reads only what changed (`GapRunCache`).
    public var cache = GapRunCache()
    public var cursor = ListCursor()
    public var pending: Pending?
    public var loadedAt: Timestamp?
    public var search: String?
    /// The store's open writers at the last refresh, where it can tell (PostgreSQL): the FILL
    /// column shows only then, so a SQLite store's pane is unchanged.
    public var writers: OpenWriters?

    public init() {}

    public mutating func update(_ message: PaneMessage, _ context: inout PaneContext) -> [PaneCommand] {
        if RowSearch.handle(message, search: &search, cursor: &cursor, rows: { [rows] in Self.searchRows(rows) }, &context) { return [] }
        switch RefreshingList.routine(message, cursor: &cursor, pending: &pending, search: &search, loadedAt: loadedAt,
                                      count: rows.count, context) {
        case .done: return []
        case .load: return [load(&context)]
        case .notRoutine: break
        }
        switch message {
        case .key(.enter):
            guard rows.indices.contains(cursor.selected) else { return [] }
            return [.open(.log(types: []), at: .position(rows[cursor.selected].from))]
        case .loaded(let id, .gaps(let scan)) where pending?.id == id:
            pending = nil
            let found = scan.runs
            cache = scan.cache
            if let window = scan.window {
                context.gaps.observe(found, in: window, head: scan.snapshot.head, at: context.now, commitTimes: scan.commitTimes)
            }
            rows = found
            writers = scan.writers
            statuses = context.statuses(scan.snapshot)
            loadedAt = context.now
            cursor.clamp(count: found.count, visible: context.layout.listRows)
            return []
        default:
            return []
        }
    }

    mutating func load(_ context: inout PaneContext) -> PaneCommand {
        let (pending, command) = context.query(.gaps(cache, context.gaps), slot: .gaps)
        self.pending = pending
        return command
    }

    /// Whether a run may still fill (SPEC §5): `fillable` while a writing transaction older than the
    /// run is open, else `permanent`; `unknown` when this role cannot see every session. No cell
    /// where the store cannot tell.
    func fill(_ gap: Gap, seen: Timestamp, now: Timestamp) -> [Span] {
        guard let writers else { return [] }
        switch Gap.fillability(of: gap, firstSeen: seen, now: now, writers: writers) {
        case .fillable?: return [Span("fillable", Style(.warning))]
        case .permanent?: return [Span("permanent", Style(gap.kind == .missing ? .error : .muted))]
        case nil: return [Span("unknown", Style(.muted))]
        }
    }

    static func searchRows(_ rows: [Gap]) -> [String] { rows.map { "\($0.from)-\($0.to) \($0.kind.rawValue)" } }

    public func title(_ context: PaneContext) -> String { "Gaps (\(rows.count)) · timeout \(formatAge(seconds: context.gapTimeout))" }

    public var hints: [String] { ["Enter jump to gap", "/ search", "n/N next", "? help", "q quit"] }

    /// Runs, kind, first seen, age, in-flight or stale, blocked projections.
    public func draw(into grid: inout Grid, in rect: Rect, _ context: PaneContext) {
        let now = context.now
        let cells = { (i: Int) -> [Span] in
            let gap = rows[i]
            // Born when first seen, or, for a gap older than this session, when the event after it committed.
            let seen = context.gaps.born(overlapping: gap.from...gap.to) ?? now
            let age = context.gaps.age(of: gap, at: now)
            let state = context.gaps.state(of: gap, at: now)
            let blocked = statuses.filter { !$0.blockingGaps(in: [gap]).isEmpty }.map(\.name)
            return [
                Span(gap.from == gap.to ? String(gap.from) : "\(gap.from)–\(gap.to)", Style(.gap)),
                Span(String(gap.length)), Span(gap.kind.rawValue, Style(gap.kind == .missing ? .gap : .muted)),
                Span(String(context.zone.clock(seen).suffix(8)), Style(.muted)),
                Span(formatAge(seconds: age), Style(.muted)),
                Span(state.rawValue, Style(state == .stale ? .error : state == .inFlight ? .warning : .muted)),
            ] + fill(gap, seen: seen, now: now) + [
                Span(blocked.isEmpty ? "—" : blocked.joined(separator: ", "), Style(blocked.isEmpty ? .muted : .error)),
            ]
        }
        let table = Table([
            Column("POSITIONS", width: 9, flexible: true),
            Column("LEN", width: 3, alignment: .right, priority: 3),
            Column("KIND", width: 7),
            Column("SEEN", width: 8, priority: 4),
            Column("AGE", width: 5, priority: 2),
            Column("STATE", width: 9),
        ] + (writers == nil ? [] : [Column("FILL", width: 9)]) + [
            Column("BLOCKS", width: 8, flexible: true, priority: 1, fill: true),
        ], width: rect.width - 1, content: Table.visible(rows: rows.count, cursor: cursor, in: rect, cells: cells))
        let empty = context.info?.lacking(.gaps) ?? (loadedAt == nil ? "loading…" : "no gaps between the lowest checkpoint and the head")
        table.drawList(rows: rows.count, cursor: cursor, empty: empty, in: &grid, at: rect, cells: cells)
    }
}
