@testable import DemoStore
import EventStore
import Foundation
import Testing

/// The demo writes its rows as bytes for speed; they must be the rows the earlier, `String`-built
/// generator wrote for the same seed, draw for draw.
@Suite struct DemoRowBytesTests {
    @Test(arguments: [1, 2, 3, 42, 0xDEAD_BEEF] as [UInt64])
    func eventsAreTheTextTheStringFormsWrote(seed: UInt64) {
        var a = SplitMix64(seed: seed), b = SplitMix64(seed: seed)
        var out = DemoBytes(capacity: 512)
        for i in 0..<3_000 {
            let category = EventFactory.Category.allCases[i % 5]
            let version = Int64(i % 7 == 0 ? 0 : i % 13)
            let key = hex(UInt64(i) &* 0x9E37_79B9, 8)
            let expected = OldEventFactory.event(category: category, key: key, version: version, rng: &b)
            let type = EventFactory.eventType(category: category, version: version, rng: &a)
            out.reset()
            let schemaVersion = EventFactory.writeData(type, key: Array(key.utf8), version: version, into: &out, rng: &a)
            #expect(type.name.description == expected.type)
            #expect(out.string == expected.data)
            #expect(schemaVersion == expected.schemaVersion)
            // Metadata with each kind of reference, and without a cause.
            let correlation = a.hexValue(12), command = a.hexValue(10), id = a.uuid7Words(milliseconds: Int64(i) * 86_399)
            let oldCorrelation = "corr-" + b.hexWord(12), oldCommand = "cmd-" + b.hexWord(10)
            let oldId = b.uuid7(milliseconds: Int64(i) * 86_399)
            let causes: [(EventFactory.Reference?, String?)] = [(.command(command), oldCommand), (.event(id), oldId), (nil, nil)]
            let (cause, oldCause) = causes[i % 3]
            out.reset()
            EventFactory.writeMetadata(correlation: .correlation(correlation), causation: cause, into: &out, rng: &a)
            #expect(out.string == OldEventFactory.metadata(correlation: oldCorrelation, causation: oldCause, rng: &b))
            #expect(a.next() == b.next())
        }
    }

    @Test func timestampsAreWrittenAsTimestampWritesThem() {
        var rng = SplitMix64(seed: 5)
        var writer = ISO8601Writer()
        var out = DemoBytes(capacity: 32)
        // Ascending times that cross days, as the generator makes them, then times far apart.
        var t: Int64 = 1_790_000_000_000_000
        for i in 0..<20_000 {
            t = i < 10_000 ? t + Int64.random(in: 0...40_000_000_000, using: &rng)
                : Int64.random(in: -70_000_000_000_000_000...300_000_000_000_000_000, using: &rng)
            out.reset()
            writer.append(Timestamp(microseconds: t), to: &out)
            #expect(out.string == Timestamp(microseconds: t).iso8601)
        }
    }

    @Test func numbersAreWrittenAsSwiftPrintsThem() {
        var rng = SplitMix64(seed: 9)
        var out = DemoBytes(capacity: 32)
        for value in [0, 1, 9, 10, 99, 100, -1, -10, Int.max, Int.min] + (0..<2_000).map({ _ in Int(bitPattern: UInt(rng.next())) >> Int(rng.next() % 64) }) {
            out.reset()
            out.append(int: value)
            #expect(out.string == String(value))
        }
        for cents in [100, 101, 109, 110, 199, 250_000, 12_345] {
            out.reset()
            out.append(cents: cents)
            #expect(out.string == "\(cents / 100).\(cents % 100 < 10 ? "0" : "")\(cents % 100)")
        }
    }
}

/// The generator's text as it was written before it wrote bytes: interpolated strings.
private enum OldEventFactory {
    static func creation(_ category: EventFactory.Category) -> String {
        switch category {
        case .account: "AccountOpened"
        case .order: "OrderPlaced"
        case .customer: "CustomerRegistered"
        case .shipment: "ShipmentCreated"
        case .invoice: "InvoiceIssued"
        }
    }

    static func followUps(_ category: EventFactory.Category) -> [String] {
        switch category {
        case .account: ["MoneyDeposited", "MoneyDeposited", "MoneyWithdrawn", "MoneyDeposited", "OverdraftLimitChanged"]
        case .order: ["ItemAdded", "ItemAdded", "OrderPaid", "OrderShipped", "OrderCancelled"]
        case .customer: ["AddressChanged", "EmailVerified", "MarketingConsentGiven"]
        case .shipment: ["ShipmentDispatched", "ShipmentInTransit", "ShipmentDelivered"]
        case .invoice: ["PaymentReceived", "InvoiceReminderSent"]
        }
    }

    static let people = EventFactory.people, cities = EventFactory.cities, products = EventFactory.products
    static let carriers = EventFactory.carriers, users = EventFactory.users

    static func event(category: EventFactory.Category, key: String, version: Int64, rng: inout SplitMix64)
        -> (type: String, data: String, schemaVersion: Int64)
    {
        let type = version == 0 ? creation(category) : rng.pick(followUps(category))
        let person = rng.pick(people)
        let (city, country) = rng.pick(cities)
        let cents = Int.random(in: 100...250_000, using: &rng)
        let amount = "\(cents / 100).\(cents % 100 < 10 ? "0" : "")\(cents % 100)"
        switch type {
        case "AccountOpened":
            return (type, #"{"account_id":"\#(key)","owner":{"name":"\#(person)","city":"\#(city)","country":"\#(country)"},"currency":"EUR","overdraft_limit":"500.00"}"#, 1)
        case "MoneyDeposited", "MoneyWithdrawn":
            // Version 2 of the money events carries the currency with the amount.
            if rng.chance(0.4) {
                return (type, #"{"account_id":"\#(key)","amount":{"value":"\#(amount)","currency":"EUR"},"reference":"\#(rng.hexWord(10))"}"#, 2)
            }
            return (type, #"{"account_id":"\#(key)","amount":\#(amount),"reference":"\#(rng.hexWord(10))"}"#, 1)
        case "OverdraftLimitChanged":
            return (type, #"{"account_id":"\#(key)","limit":"\#(amount)","approved_by":"\#(rng.pick(users))"}"#, 1)
        case "OrderPlaced":
            let (sku, name) = rng.pick(products)
            let qty = Int.random(in: 1...4, using: &rng)
            return (type, #"{"order_id":"\#(key)","customer":{"name":"\#(person)","address":{"city":"\#(city)","country":"\#(country)"}},"items":[{"sku":"\#(sku)","name":"\#(name)","qty":\#(qty),"price":"\#(amount)"}],"note":"Bitte nicht knicken 📦"}"#, 1)
        case "ItemAdded":
            let (sku, name) = rng.pick(products)
            return (type, #"{"order_id":"\#(key)","item":{"sku":"\#(sku)","name":"\#(name)","qty":\#(Int.random(in: 1...3, using: &rng)),"price":"\#(amount)"}}"#, 1)
        case "OrderPaid", "PaymentReceived":
            return (type, #"{"id":"\#(key)","amount":"\#(amount)","method":"\#(rng.pick(["card", "sepa", "klarna", "paypay"]))"}"#, 1)
        case "OrderShipped", "ShipmentDispatched":
            return (type, #"{"id":"\#(key)","carrier":"\#(rng.pick(carriers))","tracking":"\#(rng.hexWord(12).uppercased())"}"#, 1)
        case "OrderCancelled":
            return (type, #"{"order_id":"\#(key)","reason":"customer request","refund":"\#(amount)"}"#, 1)
        case "CustomerRegistered":
            if rng.chance(0.3) {
                return (type, #"{"customer_id":"\#(key)","name":"\#(person)","email":"\#(rng.hexWord(6))@example.org","locale":"\#(rng.pick(["de-CH", "ja-JP", "pt-BR", "fr-CA"]))"}"#, 2)
            }
            return (type, #"{"customer_id":"\#(key)","name":"\#(person)","email":"\#(rng.hexWord(6))@example.org"}"#, 1)
        case "AddressChanged":
            return (type, #"{"customer_id":"\#(key)","address":{"street":"Hauptstraße \#(Int.random(in: 1...200, using: &rng))","city":"\#(city)","country":"\#(country)"}}"#, 1)
        case "ShipmentCreated":
            return (type, #"{"shipment_id":"\#(key)","destination":{"city":"\#(city)","country":"\#(country)"},"parcels":\#(Int.random(in: 1...3, using: &rng)),"weight_kg":\#(Int.random(in: 1...40, using: &rng)).5}"#, 1)
        case "ShipmentInTransit":
            return (type, #"{"shipment_id":"\#(key)","hub":"\#(city)","eta_hours":\#(Int.random(in: 2...96, using: &rng))}"#, 1)
        case "ShipmentDelivered":
            return (type, #"{"shipment_id":"\#(key)","signed_by":"\#(person)","note":"🚚 delivered"}"#, 1)
        case "InvoiceIssued":
            return (type, #"{"invoice_id":"\#(key)","lines":[{"text":"Abonnement – Premium","amount":"\#(amount)"}],"vat_rate":"0.19","due_days":30}"#, 1)
        default:
            return (type, #"{"id":"\#(key)","at_version":\#(version)}"#, 1)
        }
    }

    /// waku's envelope; extras name who did it and from where.
    static func metadata(correlation: String, causation: String?, rng: inout SplitMix64) -> String {
        let causationJSON = causation.map { "\"\($0)\"" } ?? "null"
        let ip = "10.\(Int.random(in: 0...255, using: &rng)).\(Int.random(in: 0...255, using: &rng)).\(Int.random(in: 1...254, using: &rng))"
        return #"{"correlation_id":"\#(correlation)","causation_id":\#(causationJSON),"extra":{"user":"\#(rng.pick(users))","ip":"\#(ip)","source":"\#(rng.pick(["api", "batch", "webhook"]))"}}"#
    }
}
