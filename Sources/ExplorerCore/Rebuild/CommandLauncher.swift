/// One line a running command wrote, and on which stream.
public struct CommandOutput: Sendable, Hashable {
    public enum Stream: Sendable, Hashable { case stdout, stderr }
    public var stream: Stream
    public var text: String

    public init(_ stream: Stream, _ text: String) {
        self.stream = stream
        self.text = text
    }
}

/// How a command ended.
public enum CommandExit: Sendable, Hashable {
    case exited(Int32)
    case signalled(Int32)
    /// It never ran (no such program, not executable): the reason, one sentence.
    case failedToStart(String)

    public var succeeded: Bool { self == .exited(0) }

    /// "exited with status 3", "killed by signal 15", "could not start: …".
    public var description: String {
        switch self {
        case .exited(let code): "exited with status \(code)"
        case .signalled(let signal): "killed by signal \(signal)"
        case .failedToStart(let reason): "could not start: \(reason)"
        }
    }
}

/// Runs a program with arguments, without a shell: the edge's job (the explorer's core runs no
/// process). Output arrives line by line through `output` while it runs; cancelling the task
/// that awaits `run` stops the program.
public protocol CommandLauncher: Sendable {
    func run(_ arguments: [String], output: @escaping @Sendable ([CommandOutput]) -> Void) async -> CommandExit
}
