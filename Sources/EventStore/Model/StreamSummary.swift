/// The store-wide ordinal of an event. Monotonic, not dense: it has gaps.
public typealias GlobalPosition = Int64

/// One stream: an aggregate's events and its current version.
public struct StreamSummary: Sendable, Hashable {
    public var id: String
    /// waku's `stream_type` column (the aggregate's type).
    public var type: String
    /// The last stream position written (0-based).
    public var version: Int64
    public var createdAt: StoreTime?
    public var updatedAt: StoreTime?
    /// Set when the stream is soft-deleted: its events stay but projections no longer see them.
    public var deletedAt: StoreTime?
    public var problems: [ValueProblem]

    public init(id: String, type: String, version: Int64, createdAt: StoreTime?, updatedAt: StoreTime?,
                deletedAt: StoreTime?, problems: [ValueProblem] = []) {
        self.id = id
        self.type = type
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
        self.problems = problems
    }

    public var category: String { Self.category(of: id) }
    public var isDeleted: Bool { deletedAt != nil }

    /// The part of a stream id before its first `-` (SPEC §2); the whole id when it has none.
    public static func category(of streamId: String) -> String {
        if let dash = streamId.firstIndex(of: "-") { return String(streamId[..<dash]) }
        return streamId
    }
}
