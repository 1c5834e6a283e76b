import EventStore
import GRDB
import ProjectionRunner

/// The projections `eventscope runner` and `eventscope demo` serve, and the one the demo leaves to no runner.
public enum DemoProjections {
    /// Every projection the runner binary knows, by name.
    public static func all(options: ProjectionOptions = ProjectionOptions()) -> [any Projection<Database>] {
        [EventCounter(options: options), AccountBalances(options: options)]
            + directories.map { StreamDirectory(name: $0.name, eventTypes: $0.eventTypes, options: directoryOptions($0.name, options)) }
            + [OrderSummary(options: options), TypeHours(options: options)]
    }

    /// The stream directories of the demo, by name and the event types each takes (both engines).
    public static let directories: [(name: String, eventTypes: Set<String>)] = [
        ("customer_directory", ["CustomerRegistered", "AddressChanged", "EmailVerified", "MarketingConsentGiven"]),
        ("shipment_tracker", ["ShipmentCreated", "ShipmentDispatched", "ShipmentInTransit", "ShipmentDelivered"]),
    ]

    /// The wait `shipment_tracker` takes after each batch: it stands in for a tracker that asks a
    /// carrier's rate-limited API about every batch, so it is deliberately slow. The demo store
    /// starts it thousands of shipment events behind, and a newcomer watches it `catching-up` for
    /// about a minute. A pause rather than work inside the batch: a slow write transaction would hold
    /// SQLite's one write lock and stall the live writer.
    public static let shipmentTrackerPause: Duration = .milliseconds(1500)

    /// A directory's options: `shipment_tracker` paces itself (both engines).
    static func directoryOptions(_ name: String, _ options: ProjectionOptions) -> ProjectionOptions {
        guard name == "shipment_tracker" else { return options }
        var options = options
        options.batchPause = max(options.batchPause, shipmentTrackerPause)
        return options
    }

    /// Projections of the demo store that no eventscope runner serves: `order_history`, whose worker
    /// crashed (the store keeps its expired lease row); a rebuild request for it stays pending.
    public static let unserved: Set<String> = ["order_history"]
}
