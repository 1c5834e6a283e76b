import EventStore
import Foundation
import GRDB

/// Reads a row's columns leniently: stores are written by other programs, so any column may hold
/// any type. A value that is not of its column's type becomes a `ValueProblem` on the record (and a
/// fallback value), never a trap: values come from `StoredRow` (storage class and bytes), never from
/// GRDB's subscripts, which trap on values they cannot convert and cut text at a NUL.
struct ColumnReader {
    let row: StoredRow
    var problems: [ValueProblem] = []

    init(_ row: StoredRow) { self.row = row }

    /// The stored value as text for display: blobs as hex, text with invalid UTF-8 escaped.
    static func stored(_ value: StoredValue) -> String {
        switch value {
        case .null: "NULL"
        case .integer(let i): String(i)
        case .real(let d): String(d)
        case .text(let bytes): EscapedBytes.display(bytes).text
        case .blob(let data):
            "x'" + data.prefix(32).map { hex($0) }.joined() + (data.count > 32 ? "…" : "") + "'"
        }
    }

    static func hex(_ byte: UInt8) -> String { (byte < 16 ? "0" : "") + String(byte, radix: 16) }

    mutating func problem(_ field: String, _ value: StoredValue, _ reason: String) {
        problems.append(ValueProblem(field: field, stored: Self.stored(value), reason: reason))
    }

    /// Text; a number is its decimal text; NULL is "" and a problem when the column must hold text.
    mutating func text(_ index: Int, _ field: String, nullable: Bool = false) -> String {
        optionalText(index, field) ?? {
            if !nullable { problem(field, row[index], "NULL where text belongs") }
            return ""
        }()
    }

    /// Text as stored, NULs included. Bytes that are not UTF-8 are a problem, and the text is
    /// their escaped form (`EscapedBytes`), so nothing is replaced silently.
    mutating func optionalText(_ index: Int, _ field: String) -> String? {
        let value = row[index]
        switch value {
        case .null: return nil
        case .integer(let i): return String(i)
        case .real(let d): return String(d)
        case .text(let bytes):
            if let s = String(validating: bytes, as: UTF8.self) { return s }
            problem(field, value, "text that is not valid UTF-8 (each invalid byte shown as \\xHH)")
            return EscapedBytes.display(bytes).text
        case .blob(let data):
            if let s = String(validating: data, as: UTF8.self) { return s }
            problem(field, value, "a blob that is not UTF-8 text")
            return Self.stored(value)
        }
    }

    /// A stream id: its escaped form when it is not valid UTF-8 (or reads as an escape), which
    /// the adapter turns back into the stored bytes when the id is asked for.
    mutating func streamId(_ index: Int, _ field: String) -> String {
        let value = row[index]
        guard case .text(let bytes) = value else { return text(index, field) }
        let (shown, escaped) = EscapedBytes.display(bytes)
        if escaped {
            let valid = String(validating: bytes, as: UTF8.self) != nil
            problems.append(ValueProblem(field: field, stored: shown, reason: valid
                ? "a backslash that reads as an escape: shown doubled (\\\\)"
                : "not valid UTF-8: each invalid byte shown as \\xHH, backslashes doubled"))
        }
        return shown
    }

    /// An integer: INTEGER storage, a REAL with no fraction, or text holding one.
    mutating func int(_ index: Int, _ field: String, default fallback: Int64 = 0) -> Int64 {
        optionalInt(index, field) ?? {
            let value = row[index]
            if value == .null { problem(field, value, "NULL where an integer belongs") }
            return fallback
        }()
    }

    /// nil for NULL (no problem) and for an unreadable value (a problem).
    mutating func optionalInt(_ index: Int, _ field: String) -> Int64? {
        let value = row[index]
        switch value {
        case .null: return nil
        case .integer(let i): return i
        case .real(let d):
            if d.rounded() == d, let i = Int64(exactly: d) { return i }
            problem(field, value, "a real where an integer belongs")
        case .text(let bytes):
            if let s = String(validating: bytes, as: UTF8.self), let i = Int64(s.trimmingCharacters(in: .whitespaces)) { return i }
            problem(field, value, "text where an integer belongs")
        case .blob:
            problem(field, value, "a blob where an integer belongs")
        }
        return nil
    }

    /// nil for NULL (no problem) and for an unreadable value (a problem).
    mutating func optionalReal(_ index: Int, _ field: String) -> Double? {
        let value = row[index]
        switch value {
        case .null: return nil
        case .integer(let i): return Double(i)
        case .real(let d): return d
        case .text(let bytes):
            if let s = String(validating: bytes, as: UTF8.self), let d = Double(s.trimmingCharacters(in: .whitespaces)), d.isFinite { return d }
            problem(field, value, "text where a number belongs")
        case .blob:
            problem(field, value, "a blob where a number belongs")
        }
        return nil
    }

    /// A time: text in any form stores write, or epoch seconds stored as a number.
    mutating func optionalTime(_ index: Int) -> StoreTime? {
        let value = row[index]
        switch value {
        case .null: return nil
        case .text(let bytes):
            guard let s = String(validating: bytes, as: UTF8.self) else { return .unreadable(Self.stored(value)) }
            return StoreTime(text: s)
        case .integer(let i): return Timestamp(epochSeconds: Double(i)).map(StoreTime.at) ?? .unreadable(String(i))
        case .real(let d): return Timestamp(epochSeconds: d).map(StoreTime.at) ?? .unreadable(String(d))
        case .blob: return .unreadable(Self.stored(value))
        }
    }

    mutating func time(_ index: Int) -> StoreTime { optionalTime(index) ?? .unreadable("NULL") }

    mutating func bool(_ index: Int) -> Bool { (optionalInt(index, "hidden") ?? 0) != 0 }
}

extension StreamSummary {
    init(row: StoredRow) {
        var c = ColumnReader(row)
        self.init(id: c.streamId(0, "stream_id"), type: c.text(1, "stream_type"), version: c.int(2, "version"),
                  createdAt: c.optionalTime(3), updatedAt: c.optionalTime(4), deletedAt: c.optionalTime(5), problems: [])
        problems = c.problems
    }
}

extension RecordedEvent {
    init(row: StoredRow) {
        var c = ColumnReader(row)
        self.init(globalPosition: c.int(0, "global_position"), eventId: c.text(1, "event_id"), streamId: c.streamId(2, "stream_id"),
                  eventType: c.text(3, "event_type"), position: c.int(4, "position"), data: c.text(5, "data"),
                  metadata: c.text(6, "metadata"), timestamp: c.time(7), schemaVersion: c.int(8, "schema_version", default: 1),
                  idempotencyKey: c.text(9, "idempotency_key"), isHidden: c.bool(10))
        problems = c.problems
    }
}

extension Checkpoint {
    init(row: StoredRow) {
        var c = ColumnReader(row)
        var position = c.int(1, "position", default: -1)
        // A checkpoint is -1 (nothing yet) or a position with one after it: anything else would
        // make every "the next position" sum overflow.
        if !(-1..<GlobalPosition.max).contains(position) {
            c.problems.append(ValueProblem(field: "position", stored: String(position), reason: "not a checkpoint (below -1 or the largest integer)"))
            position = -1
        }
        self.init(projectionName: c.text(0, "name"), position: position, updatedAt: c.time(2), createdAt: c.optionalTime(3))
        problems = c.problems
    }
}

extension Lease {
    init(row: StoredRow) {
        var c = ColumnReader(row)
        self.init(projectionName: c.text(0, "name"), holderId: c.text(1, "holder_id"), acquiredAt: c.optionalTime(2),
                  renewedAt: c.optionalTime(3), expiresAt: c.time(4))
        problems = c.problems
    }
}

extension Snapshot {
    init(row: StoredRow) {
        var c = ColumnReader(row)
        self.init(streamId: c.streamId(0, "stream_id"), state: c.text(1, "state"), version: c.int(2, "version"),
                  stateType: c.text(3, "state_type"), schemaVersion: c.int(4, "schema_version", default: 1),
                  createdAt: c.optionalTime(5), updatedAt: c.optionalTime(6))
        problems = c.problems
    }
}

extension RunnerStatus {
    init(row: StoredRow) {
        var c = ColumnReader(row)
        var types: Set<String>?
        if let text = c.optionalText(5, "event_types") {
            if case .success(.array(let items)) = JSONValue.parsed(text) {
                types = Set(items.compactMap { if case .string(let s) = $0 { s } else { nil } })
            } else {
                c.problem("event_types", row[5], "not a JSON array of type names")
            }
        }
        self.init(projectionName: c.text(0, "projection_name"), state: .init(text: c.text(1, "state")),
                  holderId: c.optionalText(2, "holder_id"), heartbeatAt: c.optionalTime(3),
                  checkpoint: c.optionalInt(4, "checkpoint"), eventTypes: types,
                  eventsPerSecond: c.optionalReal(6, "events_per_second"), lastError: c.optionalText(7, "last_error"),
                  lastErrorPosition: c.optionalInt(8, "last_error_position"), skippedBatches: c.int(9, "skipped_batches"),
                  rebuildTarget: c.optionalInt(10, "rebuild_target"), rebuildStartedAt: c.optionalTime(11),
                  updatedAt: c.optionalTime(12))
        problems = c.problems
    }
}

extension CommandRequest {
    init(row: StoredRow) {
        var c = ColumnReader(row)
        self.init(id: c.int(0, "id"), projectionName: c.text(1, "projection_name"), command: c.text(2, "command"),
                  requestedBy: c.text(3, "requested_by"), requestedAt: c.time(4), status: .init(text: c.text(5, "status")),
                  startedAt: c.optionalTime(6), finishedAt: c.optionalTime(7), detail: c.optionalText(8, "detail"))
        problems = c.problems
    }
}

extension ColumnReader {
    /// A stream id made of two columns, `first-second` (eventsource-py's `aggregate_type` and
    /// `aggregate_id`), escaped as one id when its bytes are not UTF-8.
    mutating func streamId(joining first: Int, _ second: Int, _ field: String) -> String {
        func bytes(_ value: StoredValue) -> [UInt8]? {
            switch value {
            case .text(let b): b
            case .integer(let i): Array(String(i).utf8)
            default: nil
            }
        }
        guard let a = bytes(row[first]), let b = bytes(row[second]) else {
            return text(first, field) + "-" + text(second, field)
        }
        let (shown, escaped) = EscapedBytes.display(a + [0x2D] + b)
        if escaped { problems.append(ValueProblem(field: field, stored: shown, reason: "not valid UTF-8 or holds a backslash: shown escaped")) }
        return shown
    }
}
