/// Why a request could not be filed, in words an operator can act on. `isBadInput` errors exit
/// with status 2 (the store cannot take a request as it is), the others with 1.
public enum RequestError: Error, Sendable, Hashable, CustomStringConvertible {
    case noSuchFile(path: String)
    /// The store has no `es_projection_commands`: no eventscope runner has ever served it.
    case noRunnerTable(location: String)
    /// The commands table is there but not as a runner makes it (a column is missing).
    case unexpectedTable(location: String, reason: String)
    /// This user may not write to the store (the file, or its directory for the WAL sidecars).
    case notWritable(location: String, reason: String)
    /// The request connection's authorizer refused a statement: it may only insert requests.
    case denied(location: String, statement: String, reason: String)
    case notAStore(location: String, reason: String)
    /// The store stayed locked past the busy timeout (a writer or the runner in a long transaction).
    case busy(location: String, seconds: Double)
    case failed(location: String, reason: String)

    public var isBadInput: Bool {
        switch self {
        case .busy, .failed: false
        default: true
        }
    }

    public var description: String {
        switch self {
        case .noSuchFile(let path):
            "no such file: \(path) (a request is filed into an existing store; none is created)"
        case .noRunnerTable(let location):
            "\(location): no eventscope runner serves this store (it has no es_projection_commands table), so nothing "
                + "would pick a request up; start one with `eventscope runner \(location)`, which creates the table"
        case .unexpectedTable(let location, let reason):
            "\(location): es_projection_commands is not the table an eventscope runner makes (\(reason)); nothing was filed"
        case .notWritable(let location, let reason):
            "cannot file a request in \(location): \(reason); a request is the one write eventscope makes, so it needs "
                + "write access to the store file and its directory (run it as the store's owner)"
        case .denied(let location, let statement, let reason):
            "\(location): the request connection refused \(statement.debugDescription): \(reason) "
                + "(it may only insert into es_projection_commands)"
        case .notAStore(let location, let reason):
            "\(location): not an event store: \(reason)"
        case .busy(let location, let seconds):
            "\(location): the store stayed locked for \(Int(seconds)) s (a writer or the runner holds it); nothing was filed, try again"
        case .failed(let location, let reason):
            "\(location): filing the request failed: \(reason)"
        }
    }
}
