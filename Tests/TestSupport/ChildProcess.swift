import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A process started with posix_spawn and a clean signal mask. Foundation's `Process` hands the
/// child the mask of the thread that starts it, and test threads block most signals: a tmux server
/// started that way never sees SIGCHLD or SIGTERM, so `kill-server` cannot end it.
public struct ChildProcess: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let pid: pid_t

    /// Starts `path` with `arguments`; stdin is /dev/null, stdout and stderr go to the files named
    /// (created or truncated) or to /dev/null.
    public static func spawn(_ path: String, _ arguments: [String], environment: [String: String],
                             stdout: String? = nil, stderr: String? = nil) throws -> ChildProcess {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD, SIGQUIT] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let status = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard status == 0 else { throw Failure(description: "cannot start \(path): \(String(cString: strerror(status)))") }
        return ChildProcess(pid: pid)
    }

    /// Sends a signal (SIGINT, SIGKILL, …).
    public func signal(_ sig: Int32) { kill(pid, sig) }

    /// Waits for the exit status (128 + signal when killed), or nil when `timeout` passes first.
    public func wait(timeout: TimeInterval = .infinity) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, timeout.isInfinite ? 0 : WNOHANG)
            if result == pid { break }
            if result == -1, errno != EINTR { return -1 }
            if Date() >= deadline { return nil }
            if result == 0 { usleep(10_000) }
        }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }
}
