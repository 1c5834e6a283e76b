import EventStore
import Foundation
import GRDB

extension Row {
    /// Text from a column that may hold TEXT, a BLOB (decoded leniently) or a number.
    func text(_ index: Int) -> String { optionalText(index) ?? "" }

    func optionalText(_ index: Int) -> String? {
        let value: DatabaseValue = self[index]
        switch value.storage {
        case .null: return nil
        case .string(let s): return s
        case .blob(let data): return String(decoding: data, as: UTF8.self)
        case .int64(let i): return String(i)
        case .double(let d): return String(d)
        }
    }
}

extension StreamSummary {
    init(row: Row) {
        self.init(id: row.text(0), type: row.text(1), version: row[2] ?? 0, createdAt: row.optionalText(3),
                  updatedAt: row.optionalText(4), deletedAt: row.optionalText(5))
    }
}

extension RecordedEvent {
    init(row: Row) {
        self.init(globalPosition: row[0], eventId: row.text(1), streamId: row.text(2), eventType: row.text(3),
                  position: row[4] ?? 0, data: row.text(5), metadata: row.text(6), timestamp: row.text(7),
                  schemaVersion: row[8] ?? 1, idempotencyKey: row.text(9), isHidden: row[10] ?? false)
    }
}
