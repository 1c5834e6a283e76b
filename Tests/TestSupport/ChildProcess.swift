import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A process started with posix_spawn and a clean signal mask. Foundation's `Process` hands the
/// child the mask of the thread that starts it, and test threads block most signals: a tmux server
/// started that way never sees SIGCHLD or SIGTERM, so `kill-server` cannot end it.
///
/// A thread of its own reaps it the moment it exits, so tests await the exit (`exitStatus`) without
/// holding one of the few threads Swift Testing runs on, and no child is left a zombie.
public final class ChildProcess: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let pid: pid_t
    /// What was started, for messages: the program's name and first argument.
    public let name: String
    /// The exit status once reaped (128 + signal when killed). It is set under this lock in the same
    /// step that reaps, so `signal` never reaches a pid the system has given to another process.
    private let reaped = Mutex<Int32?>(nil)

    private init(pid: pid_t, name: String) {
        self.pid = pid
        self.name = name
    }

    /// Starts `path` with `arguments`; stdin is /dev/null, stdout and stderr go to the files named
    /// (created or truncated) or to /dev/null. A FIFO works too once its reading end is open: the
    /// child opens its files before posix_spawn returns, and opening a FIFO with no reader waits.
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
        guard status == 0 else {
            throw Failure(description: "cannot start \(path): \(String(cString: strerror(status)))")
        }
        let name = ([URL(fileURLWithPath: path).lastPathComponent] + arguments.prefix(1)).joined(separator: " ")
        let child = ChildProcess(pid: pid, name: name)
        let reaper = Thread { child.reapWhenItExits() }
        reaper.name = "reaper of \(pid)"
        reaper.start()
        return child
    }

    /// Sends a signal (SIGINT, SIGKILL, …) unless the process has already ended and been reaped.
    public func signal(_ sig: Int32) {
        reaped.withLock { status in
            if status == nil { kill(pid, sig) }
        }
    }

    /// Whether the process has ended (and been reaped).
    public var hasExited: Bool { reaped.withLock { $0 != nil } }

    /// The exit status (128 + signal when killed) once the process has ended; throws `WaitTimeout`
    /// when it is still running after `timeout`.
    public func exitStatus(within timeout: Duration = .seconds(30)) async throws -> Int32 {
        try await wait(for: "\(name) (pid \(pid)) to exit", timeout: timeout, every: .milliseconds(5)) {
            if let status = reaped.withLock({ $0 }) { return .ready(status) }
            return .pending(seen: "still running")
        }
    }

    /// Runs on the reaper thread: blocks in `waitid` until the process ends, leaving it a zombie (so
    /// its pid stays ours), then reaps it and records the status in one step under the lock.
    private func reapWhenItExits() {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1, errno == EINTR {}
        reaped.withLock { recorded in
            var status: Int32 = 0
            var result: pid_t
            repeat { result = waitpid(pid, &status, 0) } while result == -1 && errno == EINTR
            guard result == pid else {
                recorded = -1
                return
            }
            let signal = status & 0x7F
            recorded = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        }
    }
}
