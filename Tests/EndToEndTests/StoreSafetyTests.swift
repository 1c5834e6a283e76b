import DemoStore
import EventStore
import Foundation
import GRDB
import Synchronization
import TestSupport
import Testing

/// Reading never harms a store: run as real other users (`setpriv`, as root), a read leaves the
/// owner able to write, a read-only directory is read or refused with a reason, and the demo
/// writes only to its own stores.
@Suite(.serialized, .otherUsers) struct StoreSafetyTests {
    /// A daemon-owned WAL store with one event at 0, no sidecars, in a directory of `directoryMode`.
    static func daemonStore(directoryMode: mode_t = 0o777, directoryOwner: String = "root") throws -> (TemporaryDirectory, String) {
        try #require(OtherUser.canSwitch, "these tests switch users with setpriv, which needs root")
        try #require(FileManager.default.isExecutableFile(atPath: OtherUser.python), "these tests write as the owner with \(OtherUser.python)")
        let directory = TemporaryDirectory("eventscope-safety")
        let path = directory.file("s.db")
        let builder = try WakuStoreBuilder(path: path)
        try builder.stream("Order-1", version: 0)
        try builder.event(0, stream: "Order-1", position: 0)
        try builder.close()
        #expect(try Self.sidecars(path).isEmpty, "the builder's close should have removed the sidecars")
        let daemon = try OtherUser("daemon"), owner = try OtherUser(directoryOwner)
        #expect(chown(path, daemon.uid, daemon.gid) == 0 && chmod(path, 0o644) == 0)
        #expect(chown(directory.path, owner.uid, owner.gid) == 0 && chmod(directory.path, directoryMode) == 0)
        return (directory, path)
    }

    static func sidecars(_ path: String) throws -> [String] {
        let directory = (path as NSString).deletingLastPathComponent
        return try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0 != "s.db" }.sorted()
    }

    /// Files in the store's directory that `user` owns.
    static func files(of path: String, ownedBy user: OtherUser) throws -> [String] {
        let directory = (path as NSString).deletingLastPathComponent
        return try FileManager.default.contentsOfDirectory(atPath: directory).filter { name in
            var info = stat()
            return stat(directory + "/" + name, &info) == 0 && info.st_uid == user.uid
        }
    }

    @Test func aReadByAnotherUserLeavesTheOwnerAbleToWrite() async throws {
        let (directory, path) = try Self.daemonStore()
        defer { directory.remove() }
        let nobody = try OtherUser("nobody"), daemon = try OtherUser("daemon")
        for command in [["head", path, "--json"], ["events", path], ["streams", path], ["projections", path], ["gaps", path, "--from", "0"]] {
            let result = try await nobody.eventscope(command)
            #expect(result.status == 0, "\(command): \(result.stderr)")
        }
        #expect(try await nobody.eventscope(["head", path, "--json"]).stdout.contains(#""head": 0,"#))
        #expect(try Self.files(of: path, ownedBy: nobody) == [], "a reader that is not the owner left files behind")
        let insert = try await daemon.insert(into: path, position: 1)
        #expect(insert.status == 0, "the owner cannot write after another user's read: \(insert.stderr)")
        #expect(try await nobody.eventscope(["head", path, "--json"]).stdout.contains(#""head": 1,"#))
        #expect(try await daemon.insert(into: path, position: 2).status == 0)
    }

    @Test func aReadAsRootHandsTheSidecarsToTheOwner() async throws {
        let (directory, path) = try Self.daemonStore()
        defer { directory.remove() }
        let daemon = try OtherUser("daemon")
        #expect(try await runEventscope(["head", path]).status == 0)
        let sidecars = try Self.sidecars(path)
        #expect(try Self.files(of: path, ownedBy: daemon).sorted() == (["s.db"] + sidecars).sorted(), "\(sidecars)")
        let insert = try await daemon.insert(into: path, position: 1)
        #expect(insert.status == 0, "\(insert.stderr)")
    }

    /// A long-running view by another user starts without sidecars, then follows the owner's writes
    /// live once the owner's writer has made its own; the owner writes throughout.
    @Test func anotherUsersTailFollowsTheOwnersWritesAndNeverLocksItOut() async throws {
        let (directory, path) = try Self.daemonStore()
        defer { directory.remove() }
        let nobody = try OtherUser("nobody"), daemon = try OtherUser("daemon")
        let output = directory.file("tail.jsonl"), errors = directory.file("tail.err")
        let tail = try nobody.spawnEventscope(["tail", path, "--from", "0", "--json", "--interval", "0.05"], stdout: output, stderr: errors)
        defer {
            tail.signal(SIGKILL)
        }
        try await waitForLine(in: output, containing: #""global_position":0,"#)
        for position: GlobalPosition in 1...3 {
            let insert = try await daemon.insert(into: path, position: position)
            #expect(insert.status == 0, "the owner cannot write while another user tails its store: \(insert.stderr)")
            // On a timeout, what tail said and which files the store had, to tell a stuck reader from a dead one.
            try await waitForLine(in: output, containing: #""global_position":\#(position),"#) {
                "tail \(tail.hasExited ? "has exited" : "runs"); its stderr: \(lines(of: errors)); files: \((try? Self.sidecars(path)) ?? [])"
            }
        }
        tail.signal(SIGINT)
        #expect(try await tail.exitStatus(within: .seconds(10)) == 0)
        #expect(try Self.files(of: path, ownedBy: nobody) == [])
        #expect(try await daemon.insert(into: path, position: 4).status == 0)
    }

    /// A directory the reader cannot write, with no sidecars: read without creating them (before,
    /// "attempt to write a readonly database", status 1), as another user and as the owner.
    @Test(arguments: ["nobody", "daemon"])
    func aReadOnlyDirectoryWithoutSidecarsIsRead(as user: String) async throws {
        let (directory, path) = try Self.daemonStore(directoryMode: 0o755)
        defer { directory.remove() }
        let result = try await OtherUser(user).eventscope(["head", path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(#""head": 0,"#))
        #expect(try Self.sidecars(path) == [])
    }

    /// A directory the reader cannot write, while the owner's writer has the store open with a
    /// commit still only in the -wal: the reader sees that commit, and the owner keeps writing.
    @Test func aReadOnlyDirectoryWithTheWritersSidecarsShowsItsLatestCommit() async throws {
        let (directory, path) = try Self.daemonStore(directoryMode: 0o755, directoryOwner: "daemon")
        defer { directory.remove() }
        let writer = try await HeldWriter(as: try OtherUser("daemon"), path: path, in: directory)
        let result = try await OtherUser("nobody").eventscope(["head", path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(#""head": 1,"#), "the commit in the -wal is missing: \(result.stdout)")
        #expect(try await writer.finish() == "wrote again", "the owner's writer failed after the read")
    }

    /// A -wal holding commits but no -shm: another user cannot read it without creating the -shm,
    /// so it is refused with status 2 and a reason, and nothing is created.
    @Test func aWALWithoutItsShmIsRefusedWithAHint() async throws {
        let (directory, path) = try Self.daemonStore()
        defer { directory.remove() }
        let daemon = try OtherUser("daemon"), nobody = try OtherUser("nobody")
        let crash = try await daemon.run([OtherUser.python, "-c", """
            import os, sqlite3, sys
            c = sqlite3.connect(sys.argv[1]); c.execute("PRAGMA wal_autocheckpoint = 0")
            c.execute("INSERT INTO es_streams VALUES ('Order-2', 'Order', 0, NULL, NULL, NULL)"); c.commit()
            os._exit(0)
            """, path])
        #expect(crash.status == 0, "\(crash.stderr)")
        try FileManager.default.removeItem(atPath: path + "-shm")
        let result = try await nobody.eventscope(["head", path])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("-shm") && result.stderr.contains("owner"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(try Self.files(of: path, ownedBy: nobody) == [])
        #expect(try await daemon.insert(into: path, position: 1).status == 0)
    }
}

/// The demo's writer appends fake events only to stores the demo made.
@Suite struct DemoMarkerTests {
    @Test(arguments: [["--live"], []])
    func theDemoRefusesAStoreItDidNotMake(flags: [String]) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("real.db")
        let builder = try WakuStoreBuilder(path: path)
        try builder.stream("Order-1", version: 0)
        try builder.event(0, stream: "Order-1", position: 0)
        try builder.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let result = try await runBounded(["demo", "--store", path, "--rate", "1000"] + flags, in: directory, timeout: .seconds(10))
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("not made by `eventscope demo`") && result.stderr.contains("--force"), "\(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"), "the refused demo opened the store")
    }

    @Test func theDemoMarksItsStoresAndForceOverridesTheCheck() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let made = directory.file("demo.db")
        #expect(try await runEventscope(["demo", "--create-only", "--store", made, "--events", "60"]).status == 0)
        #expect(DemoMarker.isMarked(made))
        let other = directory.file("real.db")
        try WakuStoreBuilder(path: other).close()
        #expect(!DemoMarker.isMarked(other))
        #expect(throws: Never.self) { try DemoMarker.check(made, force: false) }
        #expect(throws: Never.self) { try DemoMarker.check(other, force: true) }
        #expect(throws: StoreError.self) { try DemoMarker.check(other, force: false) }
    }
}

/// A damaged file is bad input: status 2 and one line naming the store once, whichever command
/// meets the damage, at opening or only in a later query.
@Suite struct CorruptStoreTests {
    enum Damage: String, CaseIterable, Sendable { case truncatedHalf, truncatedToTwoPages, overwrittenPages }

    static func damagedStore(_ damage: Damage, in directory: TemporaryDirectory) throws -> String {
        let path = directory.file("x.db")
        let builder = try WakuStoreBuilder(path: path, wal: false)
        try builder.stream("Order-1", version: 2999)
        try builder.checkpoint("balances", at: 10)
        try builder.close()
        // One transaction: the builder's commit per event would fsync 3,000 times.
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            for position in 0..<3000 {
                try db.execute(sql: WakuSchema.insertEvent, arguments: [position, "ev-\(position)", "Order-1", "Happened", position,
                                                                        #"{"padding":""# + String(repeating: "x", count: 300) + #""}"#,
                                                                        "{}", "2026-11-02T00:00:00.000000Z", 1, "idem-\(position)"])
            }
        }
        try queue.close()
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        switch damage {
        case .truncatedHalf: try handle.truncate(atOffset: size / 2)
        case .truncatedToTwoPages: try handle.truncate(atOffset: 8192)
        case .overwrittenPages:
            for offset in stride(from: UInt64(4096 * 3), to: size, by: 4096 * 7) {
                try handle.seek(toOffset: offset)
                try handle.write(contentsOf: Data(repeating: 0xA5, count: 4096))
            }
        }
        return path
    }

    @Test(arguments: Damage.allCases)
    func aDamagedFileIsBadInputOnOneLine(_ damage: Damage) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = try Self.damagedStore(damage, in: directory)
        let commands = [["head", path], ["streams", path], ["events", path, "--limit", "5000"], ["events", path, "--before", "2999"],
                        ["event", path, "1500"], ["projections", path], ["gaps", path, "--from", "0"], ["tail", path, "--from", "0"]]
        var failed: [[String]] = []
        for command in commands {
            let result = try await runBounded(command, in: directory)
            // A command that reads none of the damaged pages answers; any other says so on one line.
            if result.status == 0 { continue }
            failed.append(command)
            let lines = result.stderr.split(separator: "\n").filter { !$0.hasPrefix("following ") }
            #expect(result.status == 2, "\(damage) \(command): \(result.stderr)")
            #expect(lines.count == 1, "\(damage) \(command): \(result.stderr)")
            #expect(result.stderr.contains("corrupt") || result.stderr.contains("not a SQLite database"), "\(damage) \(command): \(result.stderr)")
            #expect(!result.stderr.contains("\(path): \(path)"), "\(damage) \(command): the path is printed twice: \(result.stderr)")
        }
        // Reading the whole log meets the damage whatever it is.
        #expect(failed.contains(["events", path, "--limit", "5000"]) && failed.contains(["tail", path, "--from", "0"]), "\(damage): \(failed)")
    }
}

struct SetupFailure: Error, CustomStringConvertible {
    let description: String
}

/// What a command run as another user said.
struct UserRun: Sendable {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// A user of this machine to run commands as: `setpriv` switches to it, which needs root.
struct OtherUser: Sendable {
    let name: String, uid: uid_t, gid: gid_t

    static let canSwitch = geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
    /// The system's Python (its sqlite3 module plays the store's application): not a shim in root's home.
    static let python = "/usr/bin/python3"

    init(_ name: String) throws {
        guard let entry = getpwnam(name) else { throw SetupFailure(description: "no user \(name) on this machine") }
        self.name = name
        uid = entry.pointee.pw_uid
        gid = entry.pointee.pw_gid
    }

    var prefix: [String] { ["/usr/bin/setpriv", "--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", "--"] }

    /// Runs `arguments` (a program and its arguments) as this user to completion; its output goes
    /// to files, so nothing is read while it runs and no test thread waits on it.
    func run(_ arguments: [String]) async throws -> UserRun {
        let directory = TemporaryDirectory("eventscope-as-\(name)")
        defer { directory.remove() }
        let (out, err) = (directory.file("stdout"), directory.file("stderr"))
        let child = try ChildProcess.spawn(prefix[0], Array(prefix.dropFirst()) + arguments,
                                           environment: ProcessInfo.processInfo.environment, stdout: out, stderr: err)
        let status = try await child.exitStatus(within: .seconds(60))
        return UserRun(status: status, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                       stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    func eventscope(_ arguments: [String]) async throws -> UserRun { try await run([eventscopeBinary] + arguments) }

    func spawnEventscope(_ arguments: [String], stdout: String, stderr: String? = nil) throws -> ChildProcess {
        try ChildProcess.spawn(prefix[0], Array(prefix.dropFirst()) + [eventscopeBinary] + arguments,
                               environment: ProcessInfo.processInfo.environment, stdout: stdout, stderr: stderr)
    }

    /// What the store's own application does: an insert through Python's sqlite3, in its own connection.
    func insert(into path: String, position: GlobalPosition) async throws -> UserRun {
        try await run([OtherUser.python, "-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1], timeout=5); p = int(sys.argv[2])
            c.execute("INSERT INTO es_events VALUES (?, ?, 'Order-1', 'Inserted', ?, '{}', '{}', '2026-11-02T00:00:00.000000Z', 1, ?)",
                      (p, 'ev-%d' % p, p, 'idem-%d' % p))
            c.commit(); c.close()
            """, path, String(position)])
    }
}

/// The owner's application with the store open: it commits event 1 (left in the -wal), says
/// "ready", waits until told to go on (a file appears), commits again and says whether it could.
final class HeldWriter: Sendable {
    let process: ChildProcess
    let said: String, go: String

    init(as user: OtherUser, path: String, in directory: TemporaryDirectory) async throws {
        said = directory.file("writer.out")
        go = directory.file("writer.go")
        process = try ChildProcess.spawn(user.prefix[0], Array(user.prefix.dropFirst()) + [OtherUser.python, "-c", """
            import os, sqlite3, sys, time
            c = sqlite3.connect(sys.argv[1], timeout=5); c.execute("PRAGMA wal_autocheckpoint = 0")
            row = "INSERT INTO es_events VALUES (?, ?, 'Order-1', 'Held', ?, '{}', '{}', '2026-11-02T00:00:00.000000Z', 1, ?)"
            c.execute(row, (1, 'ev-1', 1, 'idem-1')); c.commit(); print("ready", flush=True)
            while not os.path.exists(sys.argv[2]): time.sleep(0.01)
            try:
                c.execute(row, (2, 'ev-2', 2, 'idem-2')); c.commit(); print("wrote again", flush=True)
            except Exception as e:
                print("failed: %s" % e, flush=True)
            """, path, go], environment: ProcessInfo.processInfo.environment, stdout: said)
        try await waitForLine(in: said, containing: "ready")
    }

    /// Lets it commit again; returns what it said.
    func finish() async throws -> String {
        _ = FileManager.default.createFile(atPath: go, contents: Data())
        _ = try await process.exitStatus(within: .seconds(30))
        return String(lines(of: said).last ?? "")
    }
}

/// Waits (up to 20 s) until `path` holds a line containing `text`.
func waitForLine(in path: String, containing text: String, context: () -> String = { "" }) async throws {
    try await wait(for: "a line with \(text) in \(path)", timeout: .seconds(20)) { () -> Poll<Void> in
        let content = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return content.contains(text) ? .ready(()) : .pending(seen: content + context())
    }
}

/// Runs the binary to completion, but kills it after `timeout` (status nil): a command that
/// should have refused must not hang the suite when it does not.
func runBounded(_ arguments: [String], in directory: TemporaryDirectory, timeout: Duration = .seconds(20)) async throws -> (status: Int32?, stderr: String) {
    let errors = directory.file("stderr-\(UUID().uuidString.prefix(8))")
    let child = try ChildProcess.spawn(eventscopeBinary, arguments, environment: ProcessInfo.processInfo.environment, stderr: errors)
    var status: Int32?
    do {
        status = try await child.exitStatus(within: timeout)
    } catch is WaitTimeout {
        child.signal(SIGKILL)
        _ = try? await child.exitStatus(within: .seconds(10))
    }
    return (status, (try? String(contentsOfFile: errors, encoding: .utf8)) ?? "")
}

extension Trait where Self == ConditionTrait {
    /// Runs a test only where it can switch users (as root), except under CI, where it fails instead.
    static var otherUsers: Self {
        .enabled(if: OtherUser.canSwitch || TmuxSession.isRequired,
                 "switching users needs root and setpriv (under CI=true these tests fail instead)")
    }
}
