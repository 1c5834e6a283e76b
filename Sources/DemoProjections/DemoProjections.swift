import EventStore
import GRDB
import ProjectionRunner

/// The projections `eventscope runner` and `eventscope demo` serve, and those the demo leaves to no runner.
public enum DemoProjections {
    /// Every projection the runner binary knows, by name.
    public static func all(options: ProjectionOptions = ProjectionOptions()) -> [any Projection<Database>] {
        [
            EventCounter(options: options),
            StreamDirectory(name: "customer_directory",
                            eventTypes: ["CustomerRegistered", "AddressChanged", "EmailVerified", "MarketingConsentGiven"],
                            options: options),
            StreamDirectory(name: "shipment_tracker",
                            eventTypes: ["ShipmentCreated", "ShipmentDispatched", "ShipmentInTransit", "ShipmentDelivered"],
                            options: options),
        ]
    }

    /// Projections of the demo store that no eventscope runner serves: `order_history` (a request
    /// for it stays pending) and `account_balances` (the demo's live writer plays a foreign runner).
    public static let unserved: Set<String> = ["order_history", "account_balances"]
}
