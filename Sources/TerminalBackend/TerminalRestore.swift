import CNcursesw
#if canImport(Glibc)
import Glibc
#endif

/// Restores the terminal when the process dies of a signal, so a crash never leaves the shell
/// in raw mode. endwin is not async-signal-safe in theory; in practice it only writes the reset
/// sequences, and the process is ending anyway.
enum TerminalRestore {
    static func install() {
        for sig in [SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE, SIGTERM, SIGINT, SIGHUP] {
            signal(sig, restoreAndReraise)
        }
    }
}

private func restoreAndReraise(_ sig: Int32) {
    endwin()
    signal(sig, SIG_DFL)
    raise(sig)
}
