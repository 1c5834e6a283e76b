/// The store-wide ordinal of an event. Monotonic, not dense: it has gaps.
public typealias GlobalPosition = Int64

/// One row of `es_streams`: an aggregate's stream and its current version.
public struct StreamSummary: Sendable, Hashable {
    public var id: String
    /// waku's `stream_type` column (the aggregate's type).
    public var type: String
    /// The last stream position written (0-based).
    public var version: Int64
    public var createdAt: String?
    public var updatedAt: String?
    /// Set when the stream is soft-deleted: its events stay but projections no longer see them.
    public var deletedAt: String?

    public init(id: String, type: String, version: Int64, createdAt: String?, updatedAt: String?, deletedAt: String?) {
        self.id = id
        self.type = type
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
    }

    public var category: String { Self.category(of: id) }
    public var isDeleted: Bool { deletedAt != nil }

    /// The part of a stream id before its first `-` (SPEC §2); the whole id when it has none.
    public static func category(of streamId: String) -> String {
        if let dash = streamId.firstIndex(of: "-") { return String(streamId[..<dash]) }
        return streamId
    }
}
