import CNcursesw
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The signals the explorer answers. Crash signals restore the terminal in the handler and die
/// as they would have. The others only note the signal and wake the loop (through the wake pipe),
/// which answers on its own thread, where ncurses may be called: SIGTERM, SIGHUP, SIGINT and SIGQUIT
/// end the explorer with the terminal restored (no crash report for SIGQUIT), SIGTSTP suspends it,
/// SIGCONT redraws it.
enum TerminalSignals {
    static let crashes = [SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE]
    static let requests = [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGTSTP, SIGCONT]

    /// Installs the handlers; `wakeDescriptor` is written to when a request arrives.
    static func install(wakeDescriptor: Int32) {
        // Touch the globals here, so their lazy initialisation never runs inside a handler.
        pendingSignals.store(0, ordering: .relaxed)
        signalWakeDescriptor.store(wakeDescriptor, ordering: .relaxed)
        for sig in crashes { signal(sig, restoreAndReraise) }
        for sig in requests { signal(sig, noteSignal) }
    }

    /// Puts the default dispositions back (the explorer has given the terminal back).
    static func uninstall() {
        for sig in requests { signal(sig, SIG_DFL) }
        signalWakeDescriptor.store(-1, ordering: .relaxed)
    }

    /// The request signals that arrived since the last call, in signal-number order.
    static func take() -> [Int32] {
        let bits = pendingSignals.exchange(0, ordering: .acquiringAndReleasing)
        return (1..<64).filter { bits & (UInt64(1) << UInt64($0)) != 0 }.map(Int32.init)
    }

    /// Runs `body` with SIGINT and SIGQUIT ignored (a child holding the terminal gets them from
    /// the keyboard, and they are not the explorer's to act on), then answers them again.
    static func ignoringInterrupts<T>(_ body: () -> T) -> T {
        signal(SIGINT, SIG_IGN)
        signal(SIGQUIT, SIG_IGN)
        defer {
            signal(SIGINT, noteSignal)
            signal(SIGQUIT, noteSignal)
        }
        return body()
    }

    /// Stops the process group the way the shell's job control expects (SIGTSTP with its default
    /// action), and returns once it is continued. In an orphaned process group (no job-control
    /// shell to continue it) the kernel discards the signal and this returns at once.
    static func stopProcessGroup() {
        signal(SIGTSTP, SIG_DFL)
        kill(0, SIGTSTP)
        signal(SIGTSTP, noteSignal)
    }
}

/// Signals noted by the handler and not yet taken, one bit per signal number.
private let pendingSignals = Atomic<UInt64>(0)
/// The wake pipe's write end, or -1.
private let signalWakeDescriptor = Atomic<Int32>(-1)

/// Async-signal-safe: an atomic OR and a write(2), with errno preserved.
private func noteSignal(_ sig: Int32) {
    let saved = errno
    pendingSignals.bitwiseOr(UInt64(1) << UInt64(sig), ordering: .acquiringAndReleasing)
    let fd = signalWakeDescriptor.load(ordering: .relaxed)
    if fd >= 0 {
        var byte: UInt8 = 1
        _ = write(fd, &byte, 1)
    }
    errno = saved
}

/// A crash must never leave the shell in raw mode. endwin is not async-signal-safe in theory; in
/// practice it only writes the reset sequences, and the process is ending anyway.
private func restoreAndReraise(_ sig: Int32) {
    endwin()
    signal(sig, SIG_DFL)
    raise(sig)
}
