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

/// Runs the binary to completion with arguments, capturing both streams.
public func runEventscope(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: eventscopeBinary)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read both pipes while it runs so a large output cannot fill a pipe and stall it.
    let group = DispatchGroup()
    nonisolated(unsafe) var outData = Data(), errData = Data()
    group.enter()
    DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    errData = err.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}

/// Starts the binary in the background. Output goes nowhere unless a pipe or a file is given.
public func startEventscope(_ arguments: [String], standardOutput: Any? = nil, standardError: Any? = nil) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: eventscopeBinary)
    process.arguments = arguments
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = standardOutput ?? FileHandle.nullDevice
    process.standardError = standardError ?? FileHandle.nullDevice
    try process.run()
    return process
}

/// A new, empty file opened for writing: somewhere a background process's output can be read back from.
public func outputFile(_ path: String) throws -> FileHandle {
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    return try FileHandle(forWritingTo: URL(fileURLWithPath: path))
}
