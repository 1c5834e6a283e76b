import ExplorerCore
import Subprocess
import Synchronization
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Runs configured rebuild commands with swift-subprocess: the argument list as it is, never
/// through a shell, stdin closed, stdout and stderr read line by line as they come. Cancelling
/// the task that awaits `run` stops the command and its process group: SIGTERM, then SIGKILL
/// after `graceSeconds`.
public struct SubprocessLauncher: CommandLauncher {
    public var graceSeconds: Int

    public init(graceSeconds: Int = 5) {
        self.graceSeconds = graceSeconds
    }

    public func run(_ arguments: [String], output: @escaping @Sendable ([CommandOutput]) -> Void) async -> CommandExit {
        guard let program = arguments.first, !program.isEmpty else { return .failedToStart("the command is empty") }
        // A name with a slash is a path; a bare name is looked up in PATH, as a shell would.
        let executable: Executable = program.contains("/") ? .path(FilePath(program)) : .name(program)
        var options = PlatformOptions()
        // A session of its own, so stopping it reaches what it started too (a wrapper script's program).
        options.createSession = true
        options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: .seconds(graceSeconds))]
        do {
            let result = try await Subprocess.run(
                executable, arguments: Arguments(Array(arguments.dropFirst())), platformOptions: options,
                input: .none, output: .sequence, error: .sequence
            ) { execution in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await line in execution.standardOutput.strings() { output([CommandOutput(.stdout, line)]) }
                    }
                    group.addTask {
                        for try await line in execution.standardError.strings() { output([CommandOutput(.stderr, line)]) }
                    }
                    try await group.waitForAll()
                }
            }
            switch result.terminationStatus {
            case .exited(let code): return .exited(Int32(code))
            case .signaled(let signal): return .signalled(Int32(signal))
            }
        } catch is CancellationError {
            return .signalled(15)
        } catch {
            return .failedToStart(Self.reason(error, program: program))
        }
    }

    static func reason(_ error: any Error, program: String) -> String {
        if let error = error as? SubprocessError, error.code == .executableNotFound {
            return "no program \(program.debugDescription) can be run (check the rebuild command in the config, and PATH)"
        }
        return "\(program): \(error)"
    }
}
