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
    /// The event's index inside its stream, as the layout numbers it (0-based in waku, the 1-based
    /// `version` in eventsource-py).
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
    /// False when the layout has no global position (`globalPosition` is then only the adapter's
    /// ordinal, which views and `--json` do not show as a position).
    public var hasGlobalPosition: Bool
    /// Facts a layout records beside the common ones (eventsource-py's tenant and actor ids), in order.
    public var fields: [EventField]

    public init(globalPosition: GlobalPosition, cursor: LogCursor? = nil, eventId: String, streamId: String,
                eventType: String, position: Int64, data: String, metadata: String, timestamp: StoreTime,
                schemaVersion: Int64, idempotencyKey: String, isHidden: Bool = false, problems: [ValueProblem] = [],
                hasGlobalPosition: Bool = true, fields: [EventField] = []) {
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
        self.hasGlobalPosition = hasGlobalPosition
        self.fields = fields
    }

    /// The waku metadata envelope `{"correlation_id", "causation_id", "extra"}`, when it parses.
    public var envelope: MetadataEnvelope? { MetadataEnvelope(json: metadata) }
}

/// A named fact of an event that only some layouts record, as text (`tenant_id`, `actor_id`).
public struct EventField: Sendable, Hashable {
    /// The name as `--json` spells it (`tenant_id`).
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
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
