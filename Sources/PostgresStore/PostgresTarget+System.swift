import EventStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension PostgresTarget {
    /// The one place that reads the process's environment, its user and the password file; the
    /// rules are `resolve`'s, which is pure.
    public static func fromSystem(url: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(StoreError) -> PostgresTarget {
        let account = getpwuid(geteuid())
        let osUser = account.map { String(cString: $0.pointee.pw_name) } ?? "postgres"
        let home = environment["HOME"] ?? account.map { String(cString: $0.pointee.pw_dir) }
        let passFile = passFilePath(environment: environment, home: home).flatMap(readPassFile)
        return try resolve(url: url, environment: environment, osUser: osUser, passFile: passFile)
    }

    /// The file as libpq sees it; nil when it does not exist or cannot be read (libpq is silent then too).
    static func readPassFile(_ path: String) -> PassFile? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let regular = (info.st_mode & 0o170000) == 0o100000  // S_IFMT, S_IFREG
        let permissions = UInt16(info.st_mode & 0o7777)
        guard regular else { return PassFile(path: path, contents: "", permissions: permissions, isRegularFile: false) }
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return PassFile(path: path, contents: String(decoding: data, as: UTF8.self), permissions: permissions)
    }
}
