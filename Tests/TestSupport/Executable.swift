import Foundation

/// Writes a script that another process will run, as a file this process never holds open for
/// writing. Were it written here, a process forked at that moment by another test (they run in
/// parallel, on threads of this process) could inherit the writing descriptor; while any process
/// holds one, running the file fails with "Text file busy" (ETXTBSY). So the text goes to a
/// sibling file and `install`, a child process of its own, makes the executable copy and exits
/// before this returns.
public func writeExecutable(_ text: String, to path: String) async throws {
    let source = path + ".source"
    try text.write(toFile: source, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: source) }
    let install = try ChildProcess.spawn("/usr/bin/install", ["-m", "755", source, path], environment: [:])
    let status = try await install.exitStatus()
    guard status == 0 else { throw ChildProcess.Failure(description: "install could not write \(path) (status \(status))") }
}
