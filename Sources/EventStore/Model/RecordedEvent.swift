/// One event as the store holds it, with data and metadata kept as the raw JSON text stored.
public struct RecordedEvent: Sendable, Hashable {
    /// The store-wide ordinal (waku `global_position`). For a layout without one (capabilities lack
    /// `.globalPositions`) it is only an ordinal that orders the log; views then do not show it.
    public var globalPosition: GlobalPosition
    /// Where the log continues from this event; opaque, made by the adapter that read the event.
    public var cursor: LogCursor
    public var eventId: String
    public var streamId: String
    public var eventType: String
    /// The 0-based index of the event inside its stream.
    public var position: Int64
    public var data: String
    public var metadata: String
    public var timestamp: StoreTime
    public var schemaVersion: Int64
    public var idempotencyKey: String
    /// True when the event's stream is soft-deleted or has no stream row: invisible to projections.
    public var isHidden: Bool
    /// Columns whose stored values could not be read as their type.
    public var problems: [ValueProblem]

    public init(globalPosition: GlobalPosition, cursor: LogCursor? = nil, eventId: String, streamId: String,
                eventType: String, position: Int64, data: String, metadata: String, timestamp: StoreTime,
                schemaVersion: Int64, idempotencyKey: String, isHidden: Bool = false, problems: [ValueProblem] = []) {
        self.globalPosition = globalPosition
        self.cursor = cursor ?? .position(globalPosition)
        self.eventId = eventId
        self.streamId = streamId
        self.eventType = eventType
        self.position = position
        self.data = data
        self.metadata = metadata
        self.timestamp = timestamp
        self.schemaVersion = schemaVersion
        self.idempotencyKey = idempotencyKey
        self.isHidden = isHidden
        self.problems = problems
    }

    /// The waku metadata envelope `{"correlation_id", "causation_id", "extra"}`, when it parses.
    public var envelope: MetadataEnvelope? { MetadataEnvelope(json: metadata) }
}

/// waku's metadata: correlation and causation ids that chain events across streams, and extras.
public struct MetadataEnvelope: Sendable, Hashable {
    public var correlationId: String?
    public var causationId: String?
    public var extra: JSONValue?

    public init?(json: String) {
        guard case .object(let members)? = try? JSONValue.parse(json) else { return nil }
        func string(_ key: String) -> String? {
            if case .string(let s)? = members.first(where: { $0.key == key })?.value { return s }
            return nil
        }
        correlationId = string("correlation_id")
        causationId = string("causation_id")
        extra = members.first(where: { $0.key == "extra" })?.value
    }
}
