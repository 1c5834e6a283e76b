import Foundation

/// A detached tmux session running one command in a pane of a given size, on a tmux server of
/// its own (`tmux -L eventscope-<uuid>`), so tests never touch a user's tmux. The server runs in
/// the foreground (`-D`) as this process's child, so `kill()` signals a process it owns and never
/// blocks: call it in a `defer`; it ends the server and everything running in it.
public final class TmuxSession: Sendable {
    /// What went wrong driving tmux.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let socket: String
    public let name = "e2e"
    private let configPath: String
    private let socketPath: String
    private let server: ChildProcess

    /// Whether the `tmux` binary is on the PATH.
    public static let isInstalled: Bool = executable("tmux") != nil

    /// Under CI a missing tmux fails the tests (scripts/test installs it); elsewhere they are skipped.
    public static let isRequired: Bool = ["true", "1"].contains(ProcessInfo.processInfo.environment["CI"] ?? "")

    /// `E2E_TRACE=1` prints every screen a wait was satisfied with, to see what a test saw.
    static let trace = ProcessInfo.processInfo.environment["E2E_TRACE"] != nil

    /// Starts `command` (run by `/bin/sh -c`) in a `width`×`height` pane, with `TERM=xterm-256color`,
    /// `LANG=C.UTF-8` and `environment` exported first.
    public init(_ command: String, width: Int = 120, height: Int = 40, environment: [String: String] = [:]) async throws {
        guard Self.isInstalled else {
            throw Failure(description: "tmux is not installed: run scripts/test (it installs tmux) or apt-get install tmux")
        }
        socket = "eventscope-" + UUID().uuidString.lowercased()
        let directory = ProcessInfo.processInfo.environment["TMUX_TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        socketPath = directory + "/tmux-\(getuid())/\(socket)"
        configPath = FileManager.default.temporaryDirectory.path + "/\(socket).conf"
        // No user configuration; no status line, so the pane is the whole window.
        let config = "set -g status off\nset -g default-shell /bin/sh\nset -g history-limit 100\n"
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        do {
            server = try ChildProcess.spawn(Self.executable("tmux") ?? "/usr/bin/tmux", ["-u", "-D", "-L", socket, "-f", configPath],
                                            environment: Self.environment)
        } catch {
            try? FileManager.default.removeItem(atPath: configPath)
            throw error
        }
        var env = ["TERM": "xterm-256color", "LANG": "C.UTF-8"]
        for (key, value) in environment { env[key] = value }
        let exports = env.keys.sorted().map { "export \($0)=\(shellQuote(env[$0]!))" }.joined(separator: "; ")
        do {
            // A client that finds no server would start one of its own: first wait for ours to answer.
            try await wait(for: "the tmux server on \(socket) to answer") { () async throws -> Poll<Void> in
                do {
                    try await run(["list-sessions"])
                    return .ready(())
                } catch {
                    return .pending(seen: "\(error)")
                }
            }
            try await run(["new-session", "-d", "-s", name, "-x", String(width), "-y", String(height), exports + "; " + command])
        } catch {
            kill()
            throw error
        }
    }

    /// Sends tmux key names (`Enter`, `Escape`, `Tab`, `BTab`, `C-c`, or plain text keys).
    public func send(_ keys: String...) async throws { try await run(["send-keys", "-t", name] + keys) }

    /// Types text literally, character by character.
    public func type(_ text: String) async throws { try await run(["send-keys", "-t", name, "-l", text]) }

    /// The pane's text; with `escapes`, including the colour and attribute sequences tmux keeps.
    public func capture(escapes: Bool = false) async throws -> String {
        try await run(["capture-pane", "-p", "-t", name] + (escapes ? ["-e"] : []))
    }

    public func resize(width: Int, height: Int) async throws {
        try await run(["resize-window", "-t", name, "-x", String(width), "-y", String(height)])
    }

    /// A tmux format for the pane, such as `#{pane_title}`.
    public func display(_ format: String) async throws -> String {
        try await run(["display-message", "-p", "-t", name, format]).trimmingCharacters(in: .newlines)
    }

    /// Whether the session (and so its command) is still running.
    public var isRunning: Bool {
        get async { (try? await run(["has-session", "-t", name])) != nil }
    }

    /// Captures the pane every 50 ms until `condition` holds, and returns that screen; throws with the
    /// last screen when `timeout` passes first.
    @discardableResult
    public func waitFor(_ what: String, timeout: Duration = .seconds(30), _ condition: (String) -> Bool) async throws -> String {
        var screen = ""
        return try await wait(for: what, timeout: timeout, every: .milliseconds(50)) { () async throws -> Poll<String> in
            do {
                screen = try await capture()
            } catch {
                return .pending(seen: "no capture (\(error)); the pane showed before:\n\(screen)")
            }
            guard condition(screen) else { return .pending(seen: "the pane showed:\n\(screen)") }
            if Self.trace { print("=== \(what)\n\(screen)") }
            return .ready(screen)
        }
    }

    /// Waits until the pane shows every one of `texts`.
    @discardableResult
    public func waitUntilContains(_ texts: String..., timeout: Duration = .seconds(30)) async throws -> String {
        try await waitFor(texts.map { "\"\($0)\"" }.joined(separator: " and "), timeout: timeout) { screen in
            texts.allSatisfy { screen.contains($0) }
        }
    }

    /// Waits until the session has ended (its command exited).
    public func waitUntilEnded(timeout: Duration = .seconds(30)) async throws {
        try await wait(until: "the pane's command to end", timeout: timeout, every: .milliseconds(50)) { !(await isRunning) }
    }

    /// Ends the tmux server, which hangs up every process in its panes. Does not wait.
    public func kill() {
        server.signal(SIGTERM)
        // The server leaves its socket file behind.
        for path in [configPath, socketPath] { try? FileManager.default.removeItem(atPath: path) }
    }

    @discardableResult
    private func run(_ arguments: [String]) async throws -> String {
        // Output goes to files, read once the client has exited: nothing is read while it runs.
        let base = FileManager.default.temporaryDirectory.path + "/\(socket)-\(UUID().uuidString.prefix(8))"
        defer { for suffix in [".out", ".err"] { try? FileManager.default.removeItem(atPath: base + suffix) } }
        let tmux = try ChildProcess.spawn(Self.executable("tmux") ?? "/usr/bin/tmux",
                                          ["-u", "-L", socket, "-f", configPath] + arguments,
                                          environment: Self.environment, stdout: base + ".out", stderr: base + ".err")
        let status: Int32
        do {
            status = try await tmux.exitStatus(within: .seconds(30))
        } catch {
            tmux.signal(SIGKILL)
            throw Failure(description: "tmux \(arguments.first ?? "") did not answer: \(error)")
        }
        let output = (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? ""
        guard status == 0 else {
            let message = (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? ""
            throw Failure(description: "tmux \(arguments.joined(separator: " ")) failed (\(status)): \(message)")
        }
        return output
    }

    /// The environment of the tmux server and clients.
    private static let environment: [String: String] = {
        var environment = ProcessInfo.processInfo.environment
        // A UTF-8 locale and -u: the server measures and captures wide characters as the pane's program does.
        environment["LANG"] = "C.UTF-8"
        environment["LC_ALL"] = nil
        environment["LC_CTYPE"] = nil
        // `swift test` sets NO_COLOR=1; a pane gets it only when a test asks for it.
        environment["NO_COLOR"] = nil
        // Not a client of whatever tmux the tests themselves may run in.
        environment["TMUX"] = nil
        return environment
    }()

    private static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// Quotes a word for `/bin/sh`.
public func shellQuote(_ word: String) -> String {
    "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
}
