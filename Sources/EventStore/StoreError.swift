/// Errors an operator can act on. `isBadInput` errors exit with status 2.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    case noSuchFile(path: String)
    case notAStore(location: String, reason: String)
    case unsupportedLocation(String, reason: String)
    case positionOutOfRange(GlobalPosition, head: GlobalPosition)
    case noEventAt(GlobalPosition, head: GlobalPosition, gap: Gap.Kind?)
    case unknownStream(String, suggestions: [String])
    case badArgument(String)
    case unreachable(location: String, reason: String)
    case queryFailed(location: String, reason: String)

    public var isBadInput: Bool {
        switch self {
        case .unreachable, .queryFailed: false
        default: true
        }
    }

    public var description: String {
        switch self {
        case .noSuchFile(let path):
            "no such file: \(path) (a store is never created by reading; `eventscope demo --create-only --store \(path)` makes a demo one)"
        case .notAStore(let location, let reason):
            "\(location): not an event store: \(reason)"
        case .unsupportedLocation(let location, let reason):
            "\(location): \(reason)"
        case .positionOutOfRange(let position, let head):
            head < 0 ? "position \(position) is out of range: the store is empty"
                : "position \(position) is out of range: the head is \(head)"
        case .noEventAt(let position, let head, let gap):
            switch gap {
            case .deleted?: "no visible event at global position \(position): it belongs to a deleted stream (head \(head))"
            case .missing?, nil: "no event at global position \(position): it is a gap (head \(head))"
            }
        case .unknownStream(let id, let suggestions):
            "no stream \(id.debugDescription)" + (suggestions.isEmpty ? "" : "; streams with that prefix: " + suggestions.joined(separator: ", "))
        case .badArgument(let message):
            message
        case .unreachable(let location, let reason):
            "cannot open \(location): \(reason)"
        case .queryFailed(let location, let reason):
            "\(location): query failed: \(reason)"
        }
    }
}
