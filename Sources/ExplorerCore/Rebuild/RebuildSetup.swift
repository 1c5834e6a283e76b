import EventStore

/// A rebuild command for a runner that does not read the commands table (a waku app's own
/// entry point), as an argument list: `{projection}` in any argument is replaced by the
/// projection's name, and the list is run as it is, without a shell.
public struct ForeignCommand: Sendable, Hashable {
    public static let placeholder = "{projection}"
    /// The program and its arguments, placeholders unreplaced.
    public var template: [String]

    public init(_ template: [String]) {
        self.template = template
    }

    /// The argument list for one projection. The name is substituted inside each argument and
    /// never split or quoted, so `x; rm -rf /` reaches the program as one argument, as it is.
    public func arguments(for projection: String) -> [String] {
        template.map { $0.replacingAll(Self.placeholder, with: projection) }
    }
}

extension String {
    /// Every occurrence of `target` replaced, without Foundation.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

/// How this explorer can rebuild projections, handed in by whoever starts it: event types and
/// rebuild commands from the config, and whether a request connection exists.
public struct RebuildSetup: Sendable, Hashable {
    /// The event types a projection takes, where the config says (pending counts use them).
    public var eventTypes: [String: Set<String>]
    /// Projections rebuilt by running a command rather than by a request to the runner.
    public var foreignCommands: [String: ForeignCommand]
    /// Whether requests can be filed (a `CommandRequester` was injected).
    public var canRequest: Bool
    /// Why no request can be filed, in words an operator can act on (shown when `R` cannot help).
    public var unavailableReason: String

    public init(eventTypes: [String: Set<String>] = [:], foreignCommands: [String: ForeignCommand] = [:], canRequest: Bool = false,
                unavailableReason: String = "this explorer has no request connection to the store") {
        self.eventTypes = eventTypes
        self.foreignCommands = foreignCommands
        self.canRequest = canRequest
        self.unavailableReason = unavailableReason
    }
}
