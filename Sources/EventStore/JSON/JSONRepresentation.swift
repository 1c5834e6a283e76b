import Foundation
// The `--json` forms of the model. Field names are documented in the README; change them there too.
// A value the store holds that is not of its column's type is given as its stored text, with a
// `<field>_error` member saying why, like a payload that is not JSON.

extension StoreTime {
    var json: JSONValue { .string(text) }
}

extension Optional where Wrapped == StoreTime {
    var json: JSONValue { map(\.json) ?? .null }
}

extension JSONValue {
    /// An object with each broken field's value replaced by its stored text and an error member added.
    public static func record(_ members: [Member], problems: [ValueProblem], times: [(String, StoreTime?)] = []) -> JSONValue {
        var members = members
        var problems = problems
        for case let (field, .unreadable(raw)?) in times where problems.problem(field) == nil {
            problems.append(ValueProblem(field: field, stored: raw, reason: "not a time"))
        }
        for problem in problems {
            if let i = members.firstIndex(where: { $0.key == problem.field }) {
                members[i].value = .string(problem.stored)
                // A payload may already say it is not JSON: the column's own problem comes first.
                if let e = members.firstIndex(where: { $0.key == problem.field + "_error" }) {
                    members[e].value = .string(problem.reason)
                } else {
                    members.insert(.init(problem.field + "_error", .string(problem.reason)), at: i + 1)
                }
            } else {
                members.append(.init(problem.field + "_error", .string(problem.reason)))
            }
        }
        return .object(members)
    }
}

extension StreamSummary {
    public var json: JSONValue {
        .record([
            .init("stream_id", .string(id)), .init("category", .string(category)), .init("stream_type", .string(type)),
            .init("version", .int(version)), .init("created_at", createdAt.json), .init("updated_at", updatedAt.json),
            .init("deleted_at", deletedAt.json), .init("deleted", .bool(isDeleted)),
        ], problems: problems, times: [("created_at", createdAt), ("updated_at", updatedAt), ("deleted_at", deletedAt)])
    }
}

extension RecordedEvent {
    /// The event with data and metadata embedded as JSON when they parse, as text with an
    /// `*_error` field saying why when they do not.
    public var json: JSONValue {
        var members: [JSONValue.Member] = [
            .init("global_position", hasGlobalPosition ? .int(globalPosition) : .null), .init("stream_id", .string(streamId)),
            .init("position", .int(position)), .init("event_type", .string(eventType)),
            .init("event_id", .string(eventId)), .init("timestamp", timestamp.json),
            .init("schema_version", .int(schemaVersion)), .init("idempotency_key", .string(idempotencyKey)),
            .init("hidden", .bool(isHidden)),
        ] + fields.map { .init($0.name, .string($0.value)) }
        for (name, text) in [("data", data), ("metadata", metadata)] {
            switch JSONValue.parsed(text) {
            case .success(let value): members.append(.init(name, value))
            case .failure(let error):
                members.append(.init(name, .string(text)))
                members.append(.init(name + "_error", .string(error.description)))
            }
        }
        return .record(members, problems: problems, times: [("timestamp", timestamp)])
    }
}

extension Gap {
    public var json: JSONValue {
        .object(["from": .int(from), "to": .int(to), "length": .int(length), "kind": .string(kind.rawValue)])
    }
}

extension ProjectionStatus {
    public func json(now: Timestamp) -> JSONValue {
        func seconds(_ value: Double?) -> JSONValue { value.map { .number(String(format: "%.1f", $0)) } ?? .null }
        var leaseJSON: JSONValue = .null
        if let lease {
            leaseJSON = .record([
                .init("holder_id", .string(lease.holderId)), .init("acquired_at", lease.acquiredAt.json),
                .init("renewed_at", lease.renewedAt.json), .init("expires_at", lease.expiresAt.json),
                .init("expired", leaseExpired.map(JSONValue.bool) ?? .null), .init("expires_in_seconds", seconds(leaseExpiresIn)),
            ], problems: lease.problems, times: [("acquired_at", lease.acquiredAt), ("renewed_at", lease.renewedAt),
                                                 ("expires_at", lease.expiresAt)])
        }
        return .record([
            .init("name", .string(name)), .init("status", .string(state.rawValue)), .init("checkpoint", .int(checkpoint.position)),
            .init("head", .int(head)), .init("pending", .int(pending.count)), .init("pending_capped", .bool(pending.isCapped)),
            .init("lag_positions", .int(max(0, head.subtractingReportingOverflow(checkpoint.position).partialValue))),
            .init("next_visible", nextVisible.map { .int($0) } ?? .null),
            .init("updated_at", checkpoint.updatedAt.json),
            .init("updated_age_seconds", seconds(checkpoint.updatedAt.timestamp.map { now.seconds(since: $0) })),
            .init("lease", leaseJSON),
        ], problems: checkpoint.problems.map { $0.field == "position" ? ValueProblem(field: "checkpoint", stored: $0.stored, reason: $0.reason) : $0 },
           times: [("updated_at", checkpoint.updatedAt)])
    }
}

extension DeadLetter {
    public var json: JSONValue {
        let data: JSONValue = (try? JSONValue.parse(eventData)) ?? .string(eventData)
        return .record([
            .init("id", .int(id)), .init("projection", .string(projectionName)), .init("event_id", .string(eventId)),
            .init("event_type", .string(eventType)), .init("error_message", .string(errorMessage)),
            .init("stack_trace", stackTrace.json), .init("retry_count", .int(retryCount)),
            .init("first_failed_at", firstFailedAt.json), .init("last_failed_at", lastFailedAt.json),
            .init("status", .string(status)), .init("resolved_at", resolvedAt.json), .init("resolved_by", resolvedBy.json),
            .init("event_data", data),
        ], problems: problems, times: [("first_failed_at", firstFailedAt), ("last_failed_at", lastFailedAt), ("resolved_at", resolvedAt)])
    }
}

extension OutboxSummary {
    public var json: JSONValue {
        .object([
            "pending": .int(pending), "published": .int(published), "failed": .int(failed),
            "oldest_pending_at": oldestPendingAt.json,
            "oldest_pending_age_seconds": oldestPendingAge.map { .number(String(format: "%.1f", $0)) } ?? .null,
        ])
    }
}

extension StoreInfo {
    /// What a `--json` view prints when the layout lacks what it shows: `{"supported": false, …}`.
    public func unsupportedJSON(_ capability: StoreCapabilities) -> JSONValue {
        .object(["supported": .bool(false), "layout": .string(layout.rawValue), "reason": .string(lacking(capability) ?? "")])
    }
}

extension VisibilityHorizon {
    /// `head --json`'s `visibility_horizon`: counts as numbers, with whether counting stopped at the cap.
    public var json: JSONValue {
        .object([
            "hidden_rows": .int(hidden.count), "hidden_rows_capped": .bool(hidden.isCapped),
            "first_hidden_position": firstHidden.map(JSONValue.int) ?? .null,
            "from_another_cluster": .int(fromAnotherCluster.count), "from_another_cluster_capped": .bool(fromAnotherCluster.isCapped),
            "stalled_by_restore": .bool(isStalledByRestore), "horizon_txid": .string(horizon), "explanation": .string(sentence),
        ])
    }
}
