import Foundation

/// A detached tmux session running one command in a pane of a given size, on a tmux server of
/// its own (`tmux -L eventscope-<uuid>`), so tests run in parallel and never touch a user's tmux.
/// Call `kill()` in a `defer`: it ends the server and everything running in it.
public final class TmuxSession: Sendable {
    /// What went wrong driving tmux; a timeout carries the last screen, so a failure shows it.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let socket: String
    public let name = "e2e"
    private let configPath: String
    private let socketPath: String

    /// Whether the `tmux` binary is on the PATH.
    public static let isInstalled: Bool = executable("tmux") != nil

    /// Under CI a missing tmux fails the tests (scripts/test installs it); elsewhere they are skipped.
    public static let isRequired: Bool = ["true", "1"].contains(ProcessInfo.processInfo.environment["CI"] ?? "")

    /// `E2E_TRACE=1` prints every screen a wait was satisfied with, to see what a test saw.
    static let trace = ProcessInfo.processInfo.environment["E2E_TRACE"] != nil

    /// Starts `command` (run by `/bin/sh -c`) in a `width`×`height` pane, with `TERM=xterm-256color`,
    /// `LANG=C.UTF-8` and `environment` exported first.
    public init(_ command: String, width: Int = 120, height: Int = 40, environment: [String: String] = [:]) throws {
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
        var env = ["TERM": "xterm-256color", "LANG": "C.UTF-8"]
        for (key, value) in environment { env[key] = value }
        let exports = env.keys.sorted().map { "export \($0)=\(shellQuote(env[$0]!))" }.joined(separator: "; ")
        do {
            try run(["new-session", "-d", "-s", name, "-x", String(width), "-y", String(height), exports + "; " + command])
        } catch {
            kill()
            throw error
        }
    }

    /// Sends tmux key names (`Enter`, `Escape`, `Tab`, `BTab`, `C-c`, or plain text keys).
    public func send(_ keys: String...) throws { try run(["send-keys", "-t", name] + keys) }

    /// Types text literally, character by character.
    public func type(_ text: String) throws { try run(["send-keys", "-t", name, "-l", text]) }

    /// The pane's text; with `escapes`, including the colour and attribute sequences tmux keeps.
    public func capture(escapes: Bool = false) throws -> String {
        try run(["capture-pane", "-p", "-t", name] + (escapes ? ["-e"] : []))
    }

    public func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", name, "-x", String(width), "-y", String(height)])
    }

    /// A tmux format for the pane, such as `#{pane_title}`.
    public func display(_ format: String) throws -> String {
        try run(["display-message", "-p", "-t", name, format]).trimmingCharacters(in: .newlines)
    }

    /// Whether the session (and so its command) is still running.
    public var isRunning: Bool { (try? run(["has-session", "-t", name])) != nil }

    /// Polls the pane every 50 ms until `condition` holds, and returns that screen; throws with the
    /// last screen when `timeout` passes first.
    @discardableResult
    public func waitFor(_ what: String, timeout: TimeInterval = 5, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while true {
            screen = (try? capture()) ?? screen
            if condition(screen) {
                if Self.trace { print("=== \(what)\n\(screen)") }
                return screen
            }
            if Date() >= deadline { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw Failure(description: "timed out after \(timeout) s waiting for \(what); the pane showed:\n\(screen)")
    }

    /// Waits until the pane shows every one of `texts`.
    @discardableResult
    public func waitUntilContains(_ texts: String..., timeout: TimeInterval = 5) throws -> String {
        try waitFor(texts.map { "\"\($0)\"" }.joined(separator: " and "), timeout: timeout) { screen in
            texts.allSatisfy { screen.contains($0) }
        }
    }

    /// Waits until the session has ended (its command exited).
    public func waitUntilEnded(timeout: TimeInterval = 5) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning {
            if Date() >= deadline { throw Failure(description: "the pane's command still runs after \(timeout) s") }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Ends the tmux server and every process in its panes.
    public func kill() {
        _ = try? run(["kill-server"])
        // The server leaves its socket file behind when it is killed.
        for path in [configPath, socketPath] { try? FileManager.default.removeItem(atPath: path) }
    }

    @discardableResult
    private func run(_ arguments: [String]) throws -> String {
        // The server keeps the first client's stdout and stderr open (daemon(1, 1)), so they go to
        // files, never to pipes that would not reach end of file.
        let base = FileManager.default.temporaryDirectory.path + "/\(socket)-\(UUID().uuidString.prefix(8))"
        defer { for suffix in [".out", ".err"] { try? FileManager.default.removeItem(atPath: base + suffix) } }
        var environment = ProcessInfo.processInfo.environment
        // A UTF-8 locale and -u: the server measures and captures wide characters as the pane's program does.
        environment["LANG"] = "C.UTF-8"
        environment["LC_ALL"] = nil
        environment["LC_CTYPE"] = nil
        // `swift test` sets NO_COLOR=1; a pane gets it only when a test asks for it.
        environment["NO_COLOR"] = nil
        let tmux = try ChildProcess.spawn(Self.executable("tmux") ?? "/usr/bin/tmux",
                                          ["-u", "-L", socket, "-f", configPath] + arguments,
                                          environment: environment, stdout: base + ".out", stderr: base + ".err")
        guard let status = tmux.wait(timeout: 10) else {
            tmux.signal(SIGKILL)
            _ = tmux.wait()
            throw Failure(description: "tmux \(arguments.first ?? "") did not answer within 10 s")
        }
        let output = (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? ""
        guard status == 0 else {
            let message = (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? ""
            throw Failure(description: "tmux \(arguments.joined(separator: " ")) failed (\(status)): \(message)")
        }
        return output
    }

    private static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// Quotes a word for `/bin/sh`.
public func shellQuote(_ word: String) -> String {
    "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
}
