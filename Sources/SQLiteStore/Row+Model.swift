import EventStore
import Foundation
import GRDB

/// Reads a row's columns leniently: stores are written by other programs, so any column may hold
/// any type. A value that is not of its column's type becomes a `ValueProblem` on the record (and a
/// fallback value), never a trap: GRDB's non-throwing subscripts trap on values they cannot convert,
/// so this reads `DatabaseValue` storage only.
struct ColumnReader {
    let row: Row
    var problems: [ValueProblem] = []

    init(_ row: Row) { self.row = row }

    /// The stored value as text for display: blobs as hex, the rest as SQLite would print them.
    static func stored(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: "NULL"
        case .int64(let i): String(i)
        case .double(let d): String(d)
        case .string(let s): s
        case .blob(let data):
            "x'" + data.prefix(32).map { String(format: "%02x", $0) }.joined() + (data.count > 32 ? "…" : "") + "'"
        }
    }

    mutating func problem(_ field: String, _ value: DatabaseValue, _ reason: String) {
        problems.append(ValueProblem(field: field, stored: Self.stored(value), reason: reason))
    }

    /// Text; a number is its decimal text; NULL is "" and a problem when the column must hold text.
    mutating func text(_ index: Int, _ field: String, nullable: Bool = false) -> String {
        optionalText(index, field) ?? {
            if !nullable { problem(field, row[index], "NULL where text belongs") }
            return ""
        }()
    }

    mutating func optionalText(_ index: Int, _ field: String) -> String? {
        let value: DatabaseValue = row[index]
        switch value.storage {
        case .null: return nil
        case .string(let s): return s
        case .int64(let i): return String(i)
        case .double(let d): return String(d)
        case .blob(let data):
            if let s = String(validating: data, as: UTF8.self) { return s }
            problem(field, value, "a blob that is not UTF-8 text")
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// An integer: INTEGER storage, a REAL with no fraction, or text holding one.
    mutating func int(_ index: Int, _ field: String, default fallback: Int64 = 0) -> Int64 {
        optionalInt(index, field) ?? {
            let value: DatabaseValue = row[index]
            if value.isNull { problem(field, value, "NULL where an integer belongs") }
            return fallback
        }()
    }

    /// nil for NULL (no problem) and for an unreadable value (a problem).
    mutating func optionalInt(_ index: Int, _ field: String) -> Int64? {
        let value: DatabaseValue = row[index]
        switch value.storage {
        case .null: return nil
        case .int64(let i): return i
        case .double(let d):
            if d.rounded() == d, let i = Int64(exactly: d) { return i }
            problem(field, value, "a real where an integer belongs")
        case .string(let s):
            if let i = Int64(s.trimmingCharacters(in: .whitespaces)) { return i }
            problem(field, value, "text where an integer belongs")
        case .blob:
            problem(field, value, "a blob where an integer belongs")
        }
        return nil
    }

    /// A time: text in any form stores write, or epoch seconds stored as a number.
    mutating func optionalTime(_ index: Int) -> StoreTime? {
        let value: DatabaseValue = row[index]
        switch value.storage {
        case .null: return nil
        case .string(let s): return StoreTime(text: s)
        case .int64(let i): return Timestamp(epochSeconds: Double(i)).map(StoreTime.at) ?? .unreadable(String(i))
        case .double(let d): return Timestamp(epochSeconds: d).map(StoreTime.at) ?? .unreadable(String(d))
        case .blob: return .unreadable(Self.stored(value))
        }
    }

    mutating func time(_ index: Int) -> StoreTime { optionalTime(index) ?? .unreadable("NULL") }

    mutating func bool(_ index: Int) -> Bool { (optionalInt(index, "hidden") ?? 0) != 0 }
}

extension StreamSummary {
    init(row: Row) {
        var c = ColumnReader(row)
        self.init(id: c.text(0, "stream_id"), type: c.text(1, "stream_type"), version: c.int(2, "version"),
                  createdAt: c.optionalTime(3), updatedAt: c.optionalTime(4), deletedAt: c.optionalTime(5), problems: [])
        problems = c.problems
    }
}

extension RecordedEvent {
    init(row: Row) {
        var c = ColumnReader(row)
        self.init(globalPosition: c.int(0, "global_position"), eventId: c.text(1, "event_id"), streamId: c.text(2, "stream_id"),
                  eventType: c.text(3, "event_type"), position: c.int(4, "position"), data: c.text(5, "data"),
                  metadata: c.text(6, "metadata"), timestamp: c.time(7), schemaVersion: c.int(8, "schema_version", default: 1),
                  idempotencyKey: c.text(9, "idempotency_key"), isHidden: c.bool(10))
        problems = c.problems
    }
}

extension Checkpoint {
    init(row: Row) {
        var c = ColumnReader(row)
        self.init(projectionName: c.text(0, "name"), position: c.int(1, "position", default: -1),
                  updatedAt: c.time(2), createdAt: c.optionalTime(3))
        problems = c.problems
    }
}

extension Lease {
    init(row: Row) {
        var c = ColumnReader(row)
        self.init(projectionName: c.text(0, "name"), holderId: c.text(1, "holder_id"), acquiredAt: c.optionalTime(2),
                  renewedAt: c.optionalTime(3), expiresAt: c.time(4))
        problems = c.problems
    }
}

extension Snapshot {
    init(row: Row) {
        var c = ColumnReader(row)
        self.init(streamId: c.text(0, "stream_id"), state: c.text(1, "state"), version: c.int(2, "version"),
                  stateType: c.text(3, "state_type"), schemaVersion: c.int(4, "schema_version", default: 1),
                  createdAt: c.optionalTime(5), updatedAt: c.optionalTime(6))
        problems = c.problems
    }
}
