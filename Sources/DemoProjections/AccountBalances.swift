import EventStore
import Foundation
import GRDB
import ProjectionRunner

/// The balance of each account stream (`demo_account_balances`, in cents), from its opening, deposits
/// and withdrawals: the read model the demo keeps up with the head.
public struct AccountBalances: Projection {
    public typealias Transaction = Database
    public static let name = "account_balances"
    public static let table = "demo_account_balances"
    public static let eventTypes: Set<String> = ["AccountOpened", "MoneyDeposited", "MoneyWithdrawn"]

    public let name: String = Self.name
    public let eventTypes: Set<String>? = Self.eventTypes
    public let options: ProjectionOptions

    public init(options: ProjectionOptions = ProjectionOptions()) { self.options = options }

    public func apply(_ batch: [RecordedEvent], in db: Database) throws {
        try create(db)
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO demo_account_balances (stream_id, balance_cents, deposits, withdrawals, unreadable, last_position)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (stream_id) DO UPDATE SET balance_cents = balance_cents + excluded.balance_cents,
              deposits = deposits + excluded.deposits, withdrawals = withdrawals + excluded.withdrawals,
              unreadable = unreadable + excluded.unreadable, last_position = MAX(last_position, excluded.last_position)
            """)
        for (stream, change) in AccountChange.changes(in: batch) {
            try upsert.execute(arguments: [stream, change.cents, change.deposits, change.withdrawals, change.unreadable, change.lastPosition])
        }
    }

    public func teardown(in db: Database) throws {
        try db.execute(sql: "DROP TABLE IF EXISTS demo_account_balances")
    }

    func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS demo_account_balances (stream_id TEXT PRIMARY KEY, balance_cents INTEGER NOT NULL,
              deposits INTEGER NOT NULL, withdrawals INTEGER NOT NULL, unreadable INTEGER NOT NULL, last_position INTEGER NOT NULL)
            """)
    }
}

/// What a batch does to one account: the sum of its money events and their counts. Both engines'
/// `account_balances` add these to their rows.
struct AccountChange: Equatable {
    var cents: Int64 = 0
    var deposits: Int64 = 0
    var withdrawals: Int64 = 0
    /// Money events whose amount could not be read: counted, never added.
    var unreadable: Int64 = 0
    var lastPosition: GlobalPosition = -1

    /// The changes per stream, in stream order (so two engines write the same rows the same way).
    static func changes(in batch: [RecordedEvent]) -> [(stream: String, change: AccountChange)] {
        var changes: [String: AccountChange] = [:]
        for event in batch {
            var change = changes[event.streamId] ?? AccountChange()
            change.lastPosition = max(change.lastPosition, event.globalPosition)
            let sign: Int64
            switch event.eventType {
            case "MoneyDeposited": sign = 1
            case "MoneyWithdrawn": sign = -1
            default: sign = 0  // AccountOpened: the row, at zero
            }
            if sign != 0 {
                if let cents = MoneyAmount.cents(inPayload: event.data) {
                    change.cents += sign * cents
                    if sign > 0 { change.deposits += 1 } else { change.withdrawals += 1 }
                } else {
                    change.unreadable += 1
                }
            }
            changes[event.streamId] = change
        }
        return changes.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

/// A money event's `amount`, read defensively: other programs write the store. The demo writes
/// `"amount": 1234.05` (schema 1) or `"amount": {"value": "1234.05", "currency": "EUR"}` (schema 2).
/// Accepted: a JSON number or a decimal text with at most two decimals, bare or as `value` of an
/// object, below a billion in magnitude (so no sum of a batch can overflow). Anything else is unreadable.
enum MoneyAmount {
    static let limit: Int64 = 100_000_000_000  // a billion, in cents

    static func cents(inPayload data: String) -> Int64? {
        guard let payload = try? JSONDecoder().decode(Payload.self, from: Data(data.utf8)) else { return nil }
        return payload.amount?.cents
    }

    struct Payload: Decodable {
        var amount: Amount?
    }

    struct Amount: Decodable {
        var cents: Int64?

        enum Keys: String, CodingKey { case value }

        init(from decoder: any Decoder) throws {
            if let container = try? decoder.singleValueContainer() {
                if let text = try? container.decode(String.self) {
                    cents = MoneyAmount.cents(text: text)
                    return
                }
                if let number = try? container.decode(Double.self) {
                    cents = MoneyAmount.cents(number: number)
                    return
                }
            }
            let nested = (try? decoder.container(keyedBy: Keys.self)).flatMap { try? $0.decodeIfPresent(Amount.self, forKey: .value) }
            cents = nested.flatMap(\.cents)
        }
    }

    /// `-?digits(.d{1,2})?`, nothing else (no exponent, no spaces, no `NaN`).
    static func cents(text: String) -> Int64? {
        var rest = Substring(text)
        let negative = rest.first == "-"
        if negative { rest = rest.dropFirst() }
        let parts = rest.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let units = parts.first, (1...12).contains(units.count), units.allSatisfy(\.isASCIIDigit) else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard parts.count == 1 || (1...2).contains(fraction.count), fraction.allSatisfy(\.isASCIIDigit),
              let whole = Int64(units), let part = Int64(fraction.isEmpty ? "0" : fraction) else { return nil }
        let cents = whole * 100 + (fraction.count == 1 ? part * 10 : part)
        guard cents < limit else { return nil }
        return negative ? -cents : cents
    }

    /// A number that is a whole count of cents (within rounding), below the limit.
    static func cents(number: Double) -> Int64? {
        guard number.isFinite, abs(number) * 100 < Double(limit) else { return nil }
        let cents = (number * 100).rounded()
        guard abs(cents - number * 100) < 1e-6 else { return nil }
        return Int64(cents)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
