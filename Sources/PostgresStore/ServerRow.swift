import EventStore
import Foundation
import PostgresNIO

/// One column's value as the server sent it. The adapter's queries cast every column to `text`, so
/// a value is the server's own text form of whatever the column holds (a `jsonb` re-serialised, a
/// `timestamptz` in ISO form at UTC, an integer in decimal), whatever type the store's DDL gave it.
/// Integers computed by the queries themselves (counts, positions) may arrive as `int8`.
enum ServerValue: Sendable, Hashable {
    case null
    case text([UInt8])
    case integer(Int64)
    /// A type the adapter did not ask for: its type name, for the message.
    case other(String)
}

/// A result row, read cell by cell without any decoding that could fail. The cells keep the
/// server's bytes where they arrived (slices of the connection's buffer, nothing copied): a value
/// becomes a `ServerValue` only when asked for, and the readers' common cases (`ServerColumnReader`)
/// read the bytes in place.
struct ServerRow: Sendable {
    struct Cell: Sendable {
        var bytes: ByteBuffer?
        var dataType: PostgresDataType
        var format: PostgresFormat
    }

    private enum Storage: Sendable {
        case cells([Cell])
        /// Values made here (a joined id read as a column would be).
        case values([ServerValue])
    }

    private let storage: Storage

    init(_ row: PostgresRow) {
        var cells: [Cell] = []
        cells.reserveCapacity(row.count)
        for cell in row { cells.append(Cell(bytes: cell.bytes, dataType: cell.dataType, format: cell.format)) }
        storage = .cells(cells)
    }

    init(values: [ServerValue]) { storage = .values(values) }

    /// How a cell reads: one of the integer widths the server sends in binary, text (in place), or another type.
    private enum Kind {
        case integer(width: Int)
        case text
        case other
    }

    /// The one place that decides what a cell holds; `subscript` and `withText` both follow it.
    private static func kind(of cell: Cell, _ buffer: ByteBuffer) -> Kind {
        switch (cell.dataType, cell.format) {
        case (.int8, .binary) where buffer.readableBytes == 8: .integer(width: 8)
        case (.int4, .binary) where buffer.readableBytes == 4: .integer(width: 4)
        case (.int2, .binary) where buffer.readableBytes == 2: .integer(width: 2)
        case (.text, _), (.varchar, _), (.name, _), (.bpchar, _), (.unknown, _), (_, .text): .text
        default: .other
        }
    }

    subscript(index: Int) -> ServerValue {
        switch storage {
        case .values(let values): return values.indices.contains(index) ? values[index] : .null
        case .cells(let cells):
            guard cells.indices.contains(index), var buffer = cells[index].bytes else { return .null }
            switch Self.kind(of: cells[index], buffer) {
            case .integer(width: 8): return .integer(buffer.readInteger(as: Int64.self) ?? 0)
            case .integer(width: 4): return .integer(Int64(buffer.readInteger(as: Int32.self) ?? 0))
            case .integer: return .integer(Int64(buffer.readInteger(as: Int16.self) ?? 0))
            case .text: return .text(Array(buffer.readableBytesView))
            case .other: return .other(String(describing: cells[index].dataType))
            }
        }
    }

    /// The bytes of a cell that `subscript` reads as `.text`, in place; nil for every other value.
    func withText<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R? {
        switch storage {
        case .values(let values):
            guard values.indices.contains(index), case .text(let bytes) = values[index] else { return nil }
            return bytes.withUnsafeBytes(body)
        case .cells(let cells):
            guard cells.indices.contains(index), let buffer = cells[index].bytes,
                  case .text = Self.kind(of: cells[index], buffer) else { return nil }
            return buffer.withUnsafeReadableBytes(body)
        }
    }

    /// A cell's text when it is valid UTF-8 (the common case, read in place); nil for anything else.
    func validText(_ index: Int) -> String? {
        withText(index, Self.validUTF8) ?? nil
    }

    /// Valid UTF-8 without a backslash: text whose escaped form (`EscapedBytes.display`) is itself.
    static func plainUTF8(_ raw: UnsafeRawBufferPointer) -> String? {
        guard let base = raw.baseAddress, raw.count > 0 else { return "" }
        return memchr(base, 0x5C, raw.count) == nil ? validUTF8(raw) : nil
    }

    /// A decimal integer as `Int64(String)` reads it, when it is only an optional minus and up to 18
    /// digits (no overflow possible); nil for anything else.
    static func plainInteger(_ raw: UnsafeRawBufferPointer) -> Int64? {
        let n = raw.count
        var i = 0
        let negative = n > 0 && raw[0] == UInt8(ascii: "-")
        if negative { i = 1 }
        guard n - i >= 1, n - i <= 18 else { return nil }
        var value: Int64 = 0
        while i < n {
            let digit = raw[i] &- 0x30
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
            i += 1
        }
        return negative ? -value : value
    }

    /// The bytes as a string when they are valid UTF-8. `String(decoding:)` replaces what is not:
    /// the bytes are valid exactly when the string's bytes are the same.
    static func validUTF8(_ raw: UnsafeRawBufferPointer) -> String? {
        guard let base = raw.baseAddress, raw.count > 0 else { return "" }
        var text = String(decoding: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: raw.count), as: UTF8.self)
        let same = text.withUTF8 { utf8 in utf8.count == raw.count && utf8.baseAddress.map { memcmp($0, base, raw.count) == 0 } == true }
        return same ? text : nil
    }
}

/// Reads a row's columns leniently, as the SQLite adapter does: a value that is not what its
/// column should hold becomes a `ValueProblem` on the record and a fallback value, never a trap.
struct ServerColumnReader {
    let row: ServerRow
    var problems: [ValueProblem] = []

    init(_ row: ServerRow) { self.row = row }

    static func stored(_ value: ServerValue) -> String {
        switch value {
        case .null: "NULL"
        case .integer(let i): String(i)
        case .text(let bytes): EscapedBytes.display(bytes).text
        case .other(let type): "a value of type \(type)"
        }
    }

    mutating func problem(_ field: String, _ value: ServerValue, _ reason: String) {
        problems.append(ValueProblem(field: field, stored: Self.stored(value), reason: reason))
    }

    mutating func text(_ index: Int, _ field: String) -> String {
        optionalText(index, field) ?? {
            problem(field, row[index], "NULL where text belongs")
            return ""
        }()
    }

    /// Text as the server sent it. A database in `SQL_ASCII` passes bytes through unchecked: bytes
    /// that are not UTF-8 are a problem, shown escaped (`EscapedBytes`), never silently replaced.
    mutating func optionalText(_ index: Int, _ field: String) -> String? {
        if let text = row.validText(index) { return text }
        let value = row[index]
        switch value {
        case .null: return nil
        case .integer(let i): return String(i)
        case .text(let bytes):
            if let s = String(validating: bytes, as: UTF8.self) { return s }
            problem(field, value, "text that is not valid UTF-8 (each invalid byte shown as \\xHH)")
            return EscapedBytes.display(bytes).text
        case .other:
            problem(field, value, "a value eventscope cannot show as text")
            return Self.stored(value)
        }
    }

    /// A stream id: its escaped form when it is not valid UTF-8 or reads as an escape.
    mutating func streamId(_ index: Int, _ field: String) -> String {
        if let plain = row.withText(index, ServerRow.plainUTF8) ?? nil { return plain }
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

    mutating func int(_ index: Int, _ field: String, default fallback: Int64 = 0) -> Int64 {
        optionalInt(index, field) ?? {
            let value = row[index]
            if value == .null { problem(field, value, "NULL where an integer belongs") }
            return fallback
        }()
    }

    /// An integer from the server's text (a `numeric` or `double precision` column with no fraction
    /// reads too); nil for NULL (no problem) and for anything else (a problem).
    mutating func optionalInt(_ index: Int, _ field: String) -> Int64? {
        if let i = row.withText(index, ServerRow.plainInteger) ?? nil { return i }
        let value = row[index]
        switch value {
        case .null: return nil
        case .integer(let i): return i
        case .text(let bytes):
            guard let s = String(validating: bytes, as: UTF8.self)?.trimmingSpaces else {
                problem(field, value, "text where an integer belongs")
                return nil
            }
            if let i = Int64(s) { return i }
            if let d = Double(s), d.isFinite, d.rounded() == d, let i = Int64(exactly: d) { return i }
            // `numeric`'s text keeps trailing zeros: 12.000 is 12.
            if let dot = s.firstIndex(of: "."), s[s.index(after: dot)...].allSatisfy({ $0 == "0" }), let i = Int64(s[..<dot]) { return i }
            problem(field, value, Double(s) == nil ? "text where an integer belongs" : "a number that is not an integer of 64 bits")
        case .other:
            problem(field, value, "a value where an integer belongs")
        }
        return nil
    }

    mutating func optionalReal(_ index: Int, _ field: String) -> Double? {
        let value = row[index]
        switch value {
        case .null: return nil
        case .integer(let i): return Double(i)
        case .text(let bytes):
            if let s = String(validating: bytes, as: UTF8.self)?.trimmingSpaces, let d = Double(s), d.isFinite { return d }
            problem(field, value, "text where a number belongs")
        case .other:
            problem(field, value, "a value where a number belongs")
        }
        return nil
    }

    /// A time from the server's text: `timestamptz` arrives as `2026-11-22 11:36:03.504422+00`
    /// (the session's `DateStyle` is ISO and `TimeZone` UTC). `infinity`, years past 9999 and BC
    /// dates are legal in PostgreSQL but are no instant eventscope can show: they stay as text.
    mutating func optionalTime(_ index: Int) -> StoreTime? {
        // `StoreTime(text:)` reads a time first: the common case, read in place.
        if let time = row.withText(index, { Timestamp(parsingUTF8: $0.assumingMemoryBound(to: UInt8.self)) }) ?? nil { return .at(time) }
        if let text = row.validText(index) { return StoreTime(text: text) }
        let value = row[index]
        switch value {
        case .null: return nil
        case .text(let bytes):
            guard let s = String(validating: bytes, as: UTF8.self) else { return .unreadable(Self.stored(value)) }
            return StoreTime(text: s)
        case .integer(let i): return Timestamp(epochSeconds: Double(i)).map(StoreTime.at) ?? .unreadable(String(i))
        case .other: return .unreadable(Self.stored(value))
        }
    }

    mutating func time(_ index: Int) -> StoreTime { optionalTime(index) ?? .unreadable("NULL") }

    /// A boolean the adapter's own SQL computed (`true`/`false`, `t`/`f`, or 0/1).
    func bool(_ index: Int) -> Bool {
        if let answer = row.withText(index, { raw in
            raw.elementsEqual("t".utf8) || raw.elementsEqual("true".utf8) || raw.elementsEqual("1".utf8)
        }) { return answer }
        return switch row[index] {
        case .integer(let i): i != 0
        case .text(let bytes): ["t", "true", "1"].contains(String(decoding: bytes, as: UTF8.self))
        default: false
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

extension StreamSummary {
    init(server row: ServerRow) {
        var c = ServerColumnReader(row)
        self.init(id: c.streamId(0, "stream_id"), type: c.text(1, "stream_type"), version: c.int(2, "version"),
                  createdAt: c.optionalTime(3), updatedAt: c.optionalTime(4), deletedAt: c.optionalTime(5), problems: [])
        problems = c.problems
    }
}

extension RecordedEvent {
    init(server row: ServerRow) {
        var c = ServerColumnReader(row)
        self.init(globalPosition: c.int(0, "global_position"), eventId: c.text(1, "event_id"), streamId: c.streamId(2, "stream_id"),
                  eventType: c.text(3, "event_type"), position: c.int(4, "position"), data: c.text(5, "data"),
                  metadata: c.text(6, "metadata"), timestamp: c.time(7), schemaVersion: c.int(8, "schema_version", default: 1),
                  idempotencyKey: c.text(9, "idempotency_key"), isHidden: c.bool(10))
        problems = c.problems
    }
}

extension Checkpoint {
    init(server row: ServerRow) {
        var c = ServerColumnReader(row)
        var position = c.int(1, "position", default: -1)
        // -1 (nothing yet) or a position with one after it: anything else would overflow "the next position".
        if !(-1..<GlobalPosition.max).contains(position) {
            c.problems.append(ValueProblem(field: "position", stored: String(position), reason: "not a checkpoint (below -1 or the largest integer)"))
            position = -1
        }
        self.init(projectionName: c.text(0, "name"), position: position, updatedAt: c.time(2), createdAt: c.optionalTime(3))
        problems = c.problems
    }
}

extension Lease {
    init(server row: ServerRow) {
        var c = ServerColumnReader(row)
        self.init(projectionName: c.text(0, "name"), holderId: c.text(1, "holder_id"), acquiredAt: c.optionalTime(2),
                  renewedAt: c.optionalTime(3), expiresAt: c.time(4))
        problems = c.problems
    }
}

extension Snapshot {
    init(server row: ServerRow) {
        var c = ServerColumnReader(row)
        self.init(streamId: c.streamId(0, "stream_id"), state: c.text(1, "state"), version: c.int(2, "version"),
                  stateType: c.text(3, "state_type"), schemaVersion: c.int(4, "schema_version", default: 1),
                  createdAt: c.optionalTime(5), updatedAt: c.optionalTime(6))
        problems = c.problems
    }
}

extension RunnerStatus {
    init(server row: ServerRow) {
        var c = ServerColumnReader(row)
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
    init(server row: ServerRow) {
        var c = ServerColumnReader(row)
        self.init(id: c.int(0, "id"), projectionName: c.text(1, "projection_name"), command: c.text(2, "command"),
                  requestedBy: c.text(3, "requested_by"), requestedAt: c.time(4), status: .init(text: c.text(5, "status")),
                  startedAt: c.optionalTime(6), finishedAt: c.optionalTime(7), detail: c.optionalText(8, "detail"))
        problems = c.problems
    }
}
