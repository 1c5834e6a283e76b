import Foundation

/// The `eventscope` binary built beside the test bundle.
public let eventscopeBinary: String = {
    if let override = ProcessInfo.processInfo.environment["EVENTSCOPE_BIN"] { return override }
    let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    return exe.deletingLastPathComponent().appendingPathComponent("eventscope").path
}()

/// What a finished process said.
public struct CommandResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs the binary to completion with arguments, capturing both streams. Its output goes to files,
/// never pipes, so nothing has to be read while it runs; it is killed if it outlives `timeout`.
public func runEventscope(_ arguments: [String], environment: [String: String] = [:],
                          timeout: Duration = .seconds(120)) async throws -> CommandResult {
    let directory = TemporaryDirectory("eventscope-run")
    defer { directory.remove() }
    let process = try startEventscope(arguments, environment: environment,
                                      stdout: directory.file("stdout"), stderr: directory.file("stderr"))
    let status: Int32
    do {
        status = try await process.exitStatus(within: timeout)
    } catch {
        process.signal(SIGKILL)
        throw error
    }
    return CommandResult(status: status, stdout: try String(contentsOfFile: directory.file("stdout"), encoding: .utf8),
                         stderr: try String(contentsOfFile: directory.file("stderr"), encoding: .utf8))
}

/// Starts the binary in the background, with the test process's environment plus `environment`.
/// Its output goes to the files named (read them back as it runs), else nowhere.
public func startEventscope(_ arguments: [String], environment: [String: String] = [:],
                            stdout: String? = nil, stderr: String? = nil) throws -> ChildProcess {
    let inherited = ProcessInfo.processInfo.environment
    return try ChildProcess.spawn(eventscopeBinary, arguments, environment: inherited.merging(environment) { $1 },
                                  stdout: stdout, stderr: stderr)
}

/// The complete lines of a text file that another process is still writing; none while it does not exist.
public func lines(of path: String) -> [String] {
    let text = String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
    return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
}
