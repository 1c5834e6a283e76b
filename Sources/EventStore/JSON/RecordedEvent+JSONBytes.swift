extension RecordedEvent {
    /// Appends `json.compact` (level nil) or `json.pretty` indented at `level`, byte for byte, without
    /// building the `JSONValue`: payloads that are JSON are copied through `JSONReformatter`.
    /// An event with a broken column takes the general path.
    public func appendJSON(to out: inout JSONBytes, level: Int? = nil) {
        guard problems.isEmpty, let time = timestamp.timestamp else {
            out.append(json, pretty: level != nil, level: level ?? 0)
            return
        }
        var members = MemberWriter(level: level)
        out.append(UInt8(ascii: "{"))
        members.key("global_position", &out)
        if hasGlobalPosition { out.append(int: globalPosition) } else { out.append(raw: "null") }
        members.key("stream_id", &out)
        out.append(quoted: streamId)
        members.key("position", &out)
        out.append(int: position)
        members.key("event_type", &out)
        out.append(quoted: eventType)
        members.key("event_id", &out)
        out.append(quoted: eventId)
        members.key("timestamp", &out)
        out.append(quoted: time)
        members.key("schema_version", &out)
        out.append(int: schemaVersion)
        members.key("idempotency_key", &out)
        out.append(quoted: idempotencyKey)
        members.key("hidden", &out)
        out.append(bool: isHidden)
        for field in fields {
            out.append(UInt8(ascii: ","))  // always after `hidden`
            if let level { out.newline(level: level + 1) }
            out.append(quoted: field.name)
            out.append(raw: level == nil ? ":" : ": ")
            out.append(quoted: field.value)
        }
        for (name, error, text) in [("data" as StaticString, "data_error" as StaticString, data), ("metadata", "metadata_error", metadata)] {
            members.key(name, &out)
            if JSONReformatter.append(text, to: &out, level: level.map { $0 + 1 }) { continue }
            out.append(quoted: text)
            if case .failure(let failure) = JSONValue.parsed(text) {
                members.key(error, &out)
                out.append(quoted: failure.description)
            }
        }
        if let level { out.newline(level: level) }
        out.append(UInt8(ascii: "}"))
    }
}

/// The separators between an object's members, compact or pretty.
private struct MemberWriter {
    let level: Int?
    var first = true

    mutating func key(_ name: StaticString, _ out: inout JSONBytes) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        if let level { out.newline(level: level + 1) }
        out.append(UInt8(ascii: "\""))
        out.append(raw: name)
        out.append(raw: level == nil ? "\":" : "\": ")
    }
}
