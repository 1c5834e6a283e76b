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

        var creation: String {
            switch self {
            case .account: "AccountOpened"
            case .order: "OrderPlaced"
            case .customer: "CustomerRegistered"
            case .shipment: "ShipmentCreated"
            case .invoice: "InvoiceIssued"
            }
        }

        var followUps: [String] {
            switch self {
            case .account: ["MoneyDeposited", "MoneyDeposited", "MoneyWithdrawn", "MoneyDeposited", "OverdraftLimitChanged"]
            case .order: ["ItemAdded", "ItemAdded", "OrderPaid", "OrderShipped", "OrderCancelled"]
            case .customer: ["AddressChanged", "EmailVerified", "MarketingConsentGiven"]
            case .shipment: ["ShipmentDispatched", "ShipmentInTransit", "ShipmentDelivered"]
            case .invoice: ["PaymentReceived", "InvoiceReminderSent"]
            }
        }

        static func weighted(_ rng: inout SplitMix64) -> Category {
            var roll = Int.random(in: 0..<100, using: &rng)
            for c in allCases {
                if roll < c.weight { return c }
                roll -= c.weight
            }
            return .account
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

    /// One event for a stream at `version` (0 = its creation): type, JSON data, schema version.
    static func event(category: Category, key: String, version: Int64, rng: inout SplitMix64)
        -> (type: String, data: String, schemaVersion: Int64)
    {
        let type = version == 0 ? category.creation : rng.pick(category.followUps)
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
