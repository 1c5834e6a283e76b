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
    /// The file is damaged (truncated, overwritten): bad input, not a failure of eventscope.
    case corrupt(location: String, reason: String)
    /// Opening it could harm the store or show a wrong answer; `hint` says why and what to do.
    case unsafeToOpen(location: String, hint: String)
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
        case .corrupt(let location, let reason):
            "\(location): the database file is corrupt or truncated (\(reason)); restore it from a backup, or check it with `sqlite3 \(location) 'PRAGMA integrity_check'`"
        case .unsafeToOpen(let location, let hint):
            "cannot open \(location) safely: \(hint)"
        case .queryFailed(let location, let reason):
            "\(location): query failed: \(reason)"
        }
    }

    /// The location this error already names, if any: callers that prefix a message with the
    /// store's location use `message(for:at:)` so it is never printed twice.
    public var location: String? {
        switch self {
        case .notAStore(let location, _), .unreachable(let location, _), .corrupt(let location, _),
             .unsafeToOpen(let location, _), .queryFailed(let location, _), .unsupportedLocation(let location, _): location
        case .noSuchFile(let path): path
        default: nil
        }
    }

    /// `error` as one line that names `location` once.
    public static func message(for error: any Error, at location: String) -> String {
        if let error = error as? StoreError, error.location != nil { return error.description }
        return "\(location): \(error)"
    }
}
