import Foundation
// The `--json` forms of the model. Field names are documented in the README; change them there too.

extension StreamSummary {
    public var json: JSONValue {
        .object([
            "stream_id": .string(id), "category": .string(category), "stream_type": .string(type),
            "version": .int(version), "created_at": createdAt.json, "updated_at": updatedAt.json,
            "deleted_at": deletedAt.json, "deleted": .bool(isDeleted),
        ])
    }
}

extension RecordedEvent {
    /// The event with data and metadata embedded as JSON when they parse, as text with an
    /// `*_error` field saying why when they do not.
    public var json: JSONValue {
        var members: [JSONValue.Member] = [
            .init("global_position", .int(globalPosition)), .init("stream_id", .string(streamId)),
            .init("position", .int(position)), .init("event_type", .string(eventType)),
            .init("event_id", .string(eventId)), .init("timestamp", .string(timestamp)),
            .init("schema_version", .int(schemaVersion)), .init("idempotency_key", .string(idempotencyKey)),
            .init("hidden", .bool(isHidden)),
        ]
        for (name, text) in [("data", data), ("metadata", metadata)] {
            switch JSONValue.parsed(text) {
            case .success(let value): members.append(.init(name, value))
            case .failure(let error):
                members.append(.init(name, .string(text)))
                members.append(.init(name + "_error", .string(error.description)))
            }
        }
        return .object(members)
    }
}

extension Gap {
    public var json: JSONValue {
        .object(["from": .int(from), "to": .int(to), "length": .int(length), "kind": .string(kind.rawValue)])
    }
}

extension ProjectionStatus {
    public func json(now: Timestamp) -> JSONValue {
        let updated = Timestamp(parsing: checkpoint.updatedAt)
        var leaseJSON: JSONValue = .null
        if let lease {
            let expiry = Timestamp(parsing: lease.expiresAt)
            leaseJSON = .object([
                "holder_id": .string(lease.holderId), "acquired_at": lease.acquiredAt.json, "renewed_at": lease.renewedAt.json,
                "expires_at": .string(lease.expiresAt), "expired": lease.isExpired(at: now).map(JSONValue.bool) ?? .null,
                "expires_in_seconds": expiry.map { .number(String(format: "%.1f", $0.seconds(since: now))) } ?? .null,
            ])
        }
        return .object([
            "name": .string(name), "status": .string(state.rawValue), "checkpoint": .int(checkpoint.position),
            "head": .int(head), "pending": .int(pending.count), "pending_capped": .bool(pending.isCapped),
            "lag_positions": .int(max(0, head - checkpoint.position)),
            "next_visible": nextVisible.map { .int($0) } ?? .null,
            "updated_at": .string(checkpoint.updatedAt),
            "updated_age_seconds": updated.map { .number(String(format: "%.1f", now.seconds(since: $0))) } ?? .null,
            "lease": leaseJSON,
        ])
    }
}
