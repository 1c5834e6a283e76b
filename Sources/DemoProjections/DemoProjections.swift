import EventStore
import GRDB
import ProjectionRunner

/// The projections `eventscope runner` and `eventscope demo` serve, and those the demo leaves to no runner.
public enum DemoProjections {
    /// Every projection the runner binary knows, by name.
    public static func all(options: ProjectionOptions = ProjectionOptions()) -> [any Projection<Database>] {
        [EventCounter(options: options)] + directories.map { StreamDirectory(name: $0.name, eventTypes: $0.eventTypes, options: options) }
            + [OrderSummary(options: options), TypeHours(options: options)]
    }

    /// The stream directories of the demo, by name and the event types each takes (both engines).
    public static let directories: [(name: String, eventTypes: Set<String>)] = [
        ("customer_directory", ["CustomerRegistered", "AddressChanged", "EmailVerified", "MarketingConsentGiven"]),
        ("shipment_tracker", ["ShipmentCreated", "ShipmentDispatched", "ShipmentInTransit", "ShipmentDelivered"]),
    ]

    /// Projections of the demo store that no eventscope runner serves: `order_history` (a request
    /// for it stays pending) and `account_balances` (the demo's live writer plays a foreign runner).
    public static let unserved: Set<String> = ["order_history", "account_balances"]
}
