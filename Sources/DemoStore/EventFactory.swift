import EventStore

/// The demo's business: accounts, orders, customers, shipments and invoices with realistic payloads.
struct EventFactory {
    enum Category: String, CaseIterable {
        case account = "Account", order = "Order", customer = "Customer", shipment = "Shipment", invoice = "Invoice"

        /// Share of the traffic, in percent.
        var weight: Int {
            switch self {
            case .account: 30
            case .order: 28
            case .customer: 14
            case .shipment: 16
            case .invoice: 12
            }
        }

        /// The position in `allCases`.
        var ordinal: Int {
            switch self {
            case .account: 0
            case .order: 1
            case .customer: 2
            case .shipment: 3
            case .invoice: 4
            }
        }

        /// The stream id's prefix (the raw value, without a `String`).
        var name: StaticString {
            switch self {
            case .account: "Account"
            case .order: "Order"
            case .customer: "Customer"
            case .shipment: "Shipment"
            case .invoice: "Invoice"
            }
        }

        var creation: EventType {
            switch self {
            case .account: .accountOpened
            case .order: .orderPlaced
            case .customer: .customerRegistered
            case .shipment: .shipmentCreated
            case .invoice: .invoiceIssued
            }
        }

        var followUps: [EventType] {
            switch self {
            case .account: Self.accountFollowUps
            case .order: Self.orderFollowUps
            case .customer: Self.customerFollowUps
            case .shipment: Self.shipmentFollowUps
            case .invoice: Self.invoiceFollowUps
            }
        }

        private static let accountFollowUps: [EventType] = [.moneyDeposited, .moneyDeposited, .moneyWithdrawn, .moneyDeposited, .overdraftLimitChanged]
        private static let orderFollowUps: [EventType] = [.itemAdded, .itemAdded, .orderPaid, .orderShipped, .orderCancelled]
        private static let customerFollowUps: [EventType] = [.addressChanged, .emailVerified, .marketingConsentGiven]
        private static let shipmentFollowUps: [EventType] = [.shipmentDispatched, .shipmentInTransit, .shipmentDelivered]
        private static let invoiceFollowUps: [EventType] = [.paymentReceived, .invoiceReminderSent]

        static func weighted(_ rng: inout SplitMix64) -> Category {
            var roll = Int.random(in: 0..<100, using: &rng)
            for c in allCases {
                if roll < c.weight { return c }
                roll -= c.weight
            }
            return .account
        }
    }

    enum EventType {
        case accountOpened, moneyDeposited, moneyWithdrawn, overdraftLimitChanged
        case orderPlaced, itemAdded, orderPaid, orderShipped, orderCancelled
        case customerRegistered, addressChanged, emailVerified, marketingConsentGiven
        case shipmentCreated, shipmentDispatched, shipmentInTransit, shipmentDelivered
        case invoiceIssued, paymentReceived, invoiceReminderSent

        var name: StaticString {
            switch self {
            case .accountOpened: "AccountOpened"
            case .moneyDeposited: "MoneyDeposited"
            case .moneyWithdrawn: "MoneyWithdrawn"
            case .overdraftLimitChanged: "OverdraftLimitChanged"
            case .orderPlaced: "OrderPlaced"
            case .itemAdded: "ItemAdded"
            case .orderPaid: "OrderPaid"
            case .orderShipped: "OrderShipped"
            case .orderCancelled: "OrderCancelled"
            case .customerRegistered: "CustomerRegistered"
            case .addressChanged: "AddressChanged"
            case .emailVerified: "EmailVerified"
            case .marketingConsentGiven: "MarketingConsentGiven"
            case .shipmentCreated: "ShipmentCreated"
            case .shipmentDispatched: "ShipmentDispatched"
            case .shipmentInTransit: "ShipmentInTransit"
            case .shipmentDelivered: "ShipmentDelivered"
            case .invoiceIssued: "InvoiceIssued"
            case .paymentReceived: "PaymentReceived"
            case .invoiceReminderSent: "InvoiceReminderSent"
            }
        }
    }

    static let people = ["Zoë Ångström", "José Müller", "Søren Kierkegaard", "李小龍", "山田 太郎", "Олег Петров",
                         "Chloé Dubois", "Ngozi Okonkwo", "Ali Yılmaz", "Ana Łukasiewicz", "Siobhán Ní Bhriain", "Nguyễn Văn An"]
    static let cities = [("東京", "JP"), ("São Paulo", "BR"), ("Zürich", "CH"), ("Kraków", "PL"), ("München", "DE"),
                         ("Reykjavík", "IS"), ("Москва", "RU"), ("Δελφοί", "GR"), ("İstanbul", "TR"), ("Montréal", "CA"),
                         ("Lagos", "NG"), ("Hà Nội", "VN")]
    static let products = [("SKU-1001", "Kaffeebohnen · 1 kg"), ("SKU-2040", "抹茶 Matcha 100 g"), ("SKU-3300", "Crème brûlée set"),
                           ("SKU-4100", "Smørrebrød cookbook"), ("SKU-5005", "Yerba mate ☕"), ("SKU-6060", "Piñata 🎉")]
    static let carriers = ["DHL", "PostNord", "ヤマト運輸", "Correios", "La Poste"]
    static let users = ["alice", "bob", "chidi", "dagny", "émile", "fumiko", "system"]

    static let peopleUTF8 = people.map { Array($0.utf8) }
    static let citiesUTF8 = cities.map { (Array($0.0.utf8), Array($0.1.utf8)) }
    static let productsUTF8 = products.map { (Array($0.0.utf8), Array($0.1.utf8)) }
    static let carriersUTF8 = carriers.map { Array($0.utf8) }
    static let usersUTF8 = users.map { Array($0.utf8) }
    static let methods: [StaticString] = ["card", "sepa", "klarna", "paypay"]
    static let locales: [StaticString] = ["de-CH", "ja-JP", "pt-BR", "fr-CA"]
    static let sources: [StaticString] = ["api", "batch", "webhook"]

    /// The type of a stream's event at `version` (0 = its creation).
    static func eventType(category: Category, version: Int64, rng: inout SplitMix64) -> EventType {
        version == 0 ? category.creation : rng.pick(category.followUps)
    }

    /// Writes an event's JSON data (its key, `key`, is the stream id's suffix) and returns its schema version.
    static func writeData(_ type: EventType, key: [UInt8], version: Int64, into out: inout DemoBytes,
                          rng: inout SplitMix64) -> Int64 {
        let person = peopleUTF8[rng.index(people.count)]
        let (city, country) = citiesUTF8[rng.index(cities.count)]
        let cents = Int.random(in: 100...250_000, using: &rng)
        func field(_ name: StaticString, _ value: [UInt8]) {
            out.append(name)
            out.append(value)
        }
        switch type {
        case .accountOpened:
            field(#"{"account_id":""#, key); field(#"","owner":{"name":""#, person); field(#"","city":""#, city)
            field(#"","country":""#, country); out.append(#""},"currency":"EUR","overdraft_limit":"500.00"}"#)
        case .moneyDeposited, .moneyWithdrawn:
            // Version 2 of the money events carries the currency with the amount.
            let second = rng.chance(0.4)
            field(#"{"account_id":""#, key)
            out.append(second ? #"","amount":{"value":""# : #"","amount":"#)
            out.append(cents: cents)
            out.append(second ? #"","currency":"EUR"},"reference":""# : #","reference":""#)
            out.append(hex: rng.hexValue(10), digits: 10)
            out.append(#""}"#)
            return second ? 2 : 1
        case .overdraftLimitChanged:
            field(#"{"account_id":""#, key); out.append(#"","limit":""#); out.append(cents: cents)
            field(#"","approved_by":""#, usersUTF8[rng.index(users.count)]); out.append(#""}"#)
        case .orderPlaced:
            let (sku, name) = productsUTF8[rng.index(products.count)]
            let qty = Int.random(in: 1...4, using: &rng)
            field(#"{"order_id":""#, key); field(#"","customer":{"name":""#, person); field(#"","address":{"city":""#, city)
            field(#"","country":""#, country); field(#""}},"items":[{"sku":""#, sku); field(#"","name":""#, name)
            out.append(#"","qty":"#); out.append(int: qty); out.append(#","price":""#); out.append(cents: cents)
            out.append(#""}],"note":"Bitte nicht knicken 📦"}"#)
        case .itemAdded:
            let (sku, name) = productsUTF8[rng.index(products.count)]
            field(#"{"order_id":""#, key); field(#"","item":{"sku":""#, sku); field(#"","name":""#, name)
            out.append(#"","qty":"#); out.append(int: Int.random(in: 1...3, using: &rng)); out.append(#","price":""#)
            out.append(cents: cents); out.append(#""}}"#)
        case .orderPaid, .paymentReceived:
            field(#"{"id":""#, key); out.append(#"","amount":""#); out.append(cents: cents); out.append(#"","method":""#)
            out.append(rng.pick(methods)); out.append(#""}"#)
        case .orderShipped, .shipmentDispatched:
            field(#"{"id":""#, key); field(#"","carrier":""#, carriersUTF8[rng.index(carriers.count)]); out.append(#"","tracking":""#)
            out.append(hex: rng.hexValue(12), digits: 12, uppercase: true); out.append(#""}"#)
        case .orderCancelled:
            field(#"{"order_id":""#, key); out.append(#"","reason":"customer request","refund":""#); out.append(cents: cents)
            out.append(#""}"#)
        case .customerRegistered:
            let second = rng.chance(0.3)
            field(#"{"customer_id":""#, key); field(#"","name":""#, person); out.append(#"","email":""#)
            out.append(hex: rng.hexValue(6), digits: 6); out.append(#"@example.org"#)
            if second {
                out.append(#"","locale":""#)
                out.append(rng.pick(locales))
            }
            out.append(#""}"#)
            return second ? 2 : 1
        case .addressChanged:
            field(#"{"customer_id":""#, key); out.append(#"","address":{"street":"Hauptstraße "#)
            out.append(int: Int.random(in: 1...200, using: &rng)); field(#"","city":""#, city); field(#"","country":""#, country)
            out.append(#""}}"#)
        case .shipmentCreated:
            field(#"{"shipment_id":""#, key); field(#"","destination":{"city":""#, city); field(#"","country":""#, country)
            out.append(#""},"parcels":"#); out.append(int: Int.random(in: 1...3, using: &rng)); out.append(#","weight_kg":"#)
            out.append(int: Int.random(in: 1...40, using: &rng)); out.append(#".5}"#)
        case .shipmentInTransit:
            field(#"{"shipment_id":""#, key); field(#"","hub":""#, city); out.append(#"","eta_hours":"#)
            out.append(int: Int.random(in: 2...96, using: &rng)); out.append(#"}"#)
        case .shipmentDelivered:
            field(#"{"shipment_id":""#, key); field(#"","signed_by":""#, person); out.append(#"","note":"🚚 delivered"}"#)
        case .invoiceIssued:
            field(#"{"invoice_id":""#, key); out.append(#"","lines":[{"text":"Abonnement – Premium","amount":""#)
            out.append(cents: cents); out.append(#""}],"vat_rate":"0.19","due_days":30}"#)
        case .emailVerified, .marketingConsentGiven, .invoiceReminderSent:
            field(#"{"id":""#, key); out.append(#"","at_version":"#); out.append(int: Int(version)); out.append(#"}"#)
        }
        return 1
    }

    /// What an event's metadata names as its correlation or cause.
    enum Reference {
        /// A flow started from a command: `corr-` and 12 hex digits.
        case correlation(UInt64)
        /// The command that caused it: `cmd-` and 10 hex digits.
        case command(UInt64)
        /// An earlier event, by id.
        case event(UUIDWords)
        case text(String)

        func write(to out: inout DemoBytes) {
            switch self {
            case .correlation(let v): out.append("corr-"); out.append(hex: v, digits: 12)
            case .command(let v): out.append("cmd-"); out.append(hex: v, digits: 10)
            case .event(let id): out.append(uuid: id)
            case .text(let s): out.append(text: s)
            }
        }
    }

    /// waku's envelope; extras name who did it and from where.
    static func writeMetadata(correlation: Reference, causation: Reference?, into out: inout DemoBytes, rng: inout SplitMix64) {
        let a = Int.random(in: 0...255, using: &rng), b = Int.random(in: 0...255, using: &rng), c = Int.random(in: 1...254, using: &rng)
        out.append(#"{"correlation_id":""#)
        correlation.write(to: &out)
        if let causation {
            out.append(#"","causation_id":""#)
            causation.write(to: &out)
            out.append(#"","extra":{"user":""#)
        } else {
            out.append(#"","causation_id":null,"extra":{"user":""#)
        }
        out.append(usersUTF8[rng.index(users.count)])
        out.append(#"","ip":"10."#)
        out.append(int: a); out.append(0x2E); out.append(int: b); out.append(0x2E); out.append(int: c)
        out.append(#"","source":""#)
        out.append(rng.pick(sources))
        out.append(#""}}"#)
    }

    /// One event as text, for the live writer: type, JSON data, schema version.
    static func event(category: Category, key: String, version: Int64, rng: inout SplitMix64)
        -> (type: String, data: String, schemaVersion: Int64)
    {
        let type = eventType(category: category, version: version, rng: &rng)
        var out = DemoBytes(capacity: 256)
        let schemaVersion = writeData(type, key: Array(key.utf8), version: version, into: &out, rng: &rng)
        return (type.name.description, out.string, schemaVersion)
    }

    /// waku's envelope as text, for the live writer.
    static func metadata(correlation: String, causation: String?, rng: inout SplitMix64) -> String {
        var out = DemoBytes(capacity: 192)
        writeMetadata(correlation: .text(correlation), causation: causation.map { .text($0) }, into: &out, rng: &rng)
        return out.string
    }
}
