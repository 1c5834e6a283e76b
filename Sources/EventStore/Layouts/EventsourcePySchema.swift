/// The eventsource-py layout (SPEC §3.3), engine-free: what its tables mean, for every adapter.
public enum EventsourcePySchema {
    public static let events = "events"
    public static let checkpoints = "projection_checkpoints"
    public static let deadLetters = "dead_letter_queue"
    public static let outbox = "event_outbox"
    public static let snapshots = "snapshots"

    /// The keys of `payload` that are the library's envelope rather than the event's domain fields.
    public static let envelopeKeys: Set<String> = [
        "event_id", "event_type", "event_version", "occurred_at", "aggregate_id", "aggregate_type",
        "aggregate_version", "tenant_id", "actor_id", "correlation_id", "causation_id", "metadata",
    ]

    /// The stream id shown for an aggregate: `Type-id`.
    public static func streamId(type: String, id: String) -> String { type + "-" + id }

    /// `payload` split into the domain fields (`data`) and the envelope (`metadata`), each compact
    /// JSON in stored key order; a payload that is not a JSON object is left whole as the data,
    /// with an empty envelope, so its own error shows where the data is shown.
    public static func split(payload: String) -> (data: String, metadata: String, schemaVersion: Int64?) {
        guard case .success(.object(let members)) = JSONValue.parsed(payload) else { return (payload, "{}", nil) }
        let domain = members.filter { !envelopeKeys.contains($0.key) }
        let envelope = members.filter { envelopeKeys.contains($0.key) }
        var version: Int64?
        if case .number(let n)? = envelope.first(where: { $0.key == "event_version" })?.value { version = Int64(n) }
        return (JSONValue.object(domain).compact, JSONValue.object(envelope).compact, version)
    }

    /// The position in a checkpoint's `position_token` (`{"s": "<writer's path>", "k": [n]}`): `k`'s
    /// first element; `s` is ignored. nil when the token is absent; a failure when it is unreadable.
    public static func tokenPosition(_ token: String?) -> Result<GlobalPosition, TokenError>? {
        guard let token, !token.isEmpty else { return nil }
        guard case .success(let value) = JSONValue.parsed(token), case .array(let keys)? = value["k"],
              case .number(let n)? = keys.first, let position = GlobalPosition(n) else {
            return .failure(TokenError())
        }
        return .success(position)
    }

    public struct TokenError: Error, Sendable, Hashable {}
}
