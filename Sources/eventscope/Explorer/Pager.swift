import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `o` in the explorer: an event's data in the operator's pager, run without a shell.
enum Pager {
    /// `$PAGER` split on blanks (`less -R` is two arguments), else `less`.
    static func arguments(environment: [String: String]) -> [String] {
        let words = (environment["PAGER"] ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        return words.isEmpty ? ["less"] : words
    }

    /// Writes `text` to a file of its own, runs the pager on it and waits for the pager to end.
    /// Returns one line saying what went wrong, or nil.
    static func show(_ text: String, environment: [String: String]) -> String? {
        let arguments = arguments(environment: environment)
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("eventscope-\(getpid())-\(UUID().uuidString).json").path
        guard FileManager.default.createFile(atPath: file, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            return "can't write the event for the pager in \(FileManager.default.temporaryDirectory.path)"
        }
        defer { try? FileManager.default.removeItem(atPath: file) }
        let name = arguments[0]

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The explorer ignores Ctrl-C and Ctrl-\ while the pager has the terminal; the pager must not.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGQUIT)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = (arguments + [file]).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        let started = posix_spawnp(&pid, name, nil, &attributes, argv, environ)
        guard started == 0 else {
            return "the pager \(name.debugDescription) cannot start: \(String(cString: strerror(started))) (set PAGER to one that can)"
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return "lost the pager \(name.debugDescription): \(String(cString: strerror(errno)))" }
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import as functions.
        let signal = status & 0x7f
        if signal != 0 { return "the pager \(name.debugDescription) ended by signal \(signal)" }
        let code = (status >> 8) & 0xff
        return code == 0 ? nil : "the pager \(name.debugDescription) exited with status \(code)"
    }
}
