import EventStore
import Foundation
import GRDB
import TestSupport
import Testing

/// Filing a request is a write: a real other user who may not write the store (the file, or the
/// directory its WAL sidecars go in) gets one clear line and status 2, and the store is unchanged.
@Suite(.serialized, .otherUsers) struct RebuildPermissionTests {
    static func store(fileMode: mode_t, directoryMode: mode_t) throws -> (TemporaryDirectory, String) {
        try #require(OtherUser.canSwitch, "these tests switch users with setpriv, which needs root")
        let directory = TemporaryDirectory("eventscope-request-perm")
        let path = try servedStore(in: directory)
        #expect(chmod(path, fileMode) == 0 && chmod(directory.path, directoryMode) == 0)
        return (directory, path)
    }

    static func snapshot(_ path: String) throws -> (Data, [String]) {
        let directory = (path as NSString).deletingLastPathComponent
        return (try Data(contentsOf: URL(fileURLWithPath: path)), try FileManager.default.contentsOfDirectory(atPath: directory).sorted())
    }

    @Test func aUserWhoCannotWriteTheFileIsToldSo() async throws {
        let (directory, path) = try Self.store(fileMode: 0o644, directoryMode: 0o777)
        defer { directory.remove() }
        let (bytes, files) = try Self.snapshot(path)
        let result = try await OtherUser("nobody").eventscope(["rebuild", path, "orders", "--yes"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(oneLine(result.stderr) && result.stderr.contains("the file is read-only for user nobody")
            && result.stderr.contains("run it as the store's owner"), "\(result.stderr)")
        let (after, filesAfter) = try Self.snapshot(path)
        #expect(after == bytes && filesAfter == files)
        #expect(try await requests(in: path).isEmpty)
    }

    /// The file is writable by anyone, but a WAL store also needs its -wal and -shm, which SQLite
    /// cannot create in a directory the user may not write.
    @Test func aUserWhoCannotWriteTheDirectoryIsToldSo() async throws {
        let (directory, path) = try Self.store(fileMode: 0o666, directoryMode: 0o755)
        defer { directory.remove() }
        let (bytes, files) = try Self.snapshot(path)
        let result = try await OtherUser("nobody").eventscope(["rebuild", path, "orders", "--yes"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(oneLine(result.stderr) && result.stderr.contains("cannot file a request in \(path)")
            && result.stderr.contains("user nobody") && result.stderr.contains("its directory"), "\(result.stderr)")
        let (after, filesAfter) = try Self.snapshot(path)
        #expect(after == bytes && filesAfter == files)
        #expect(try await requests(in: path).isEmpty)
    }

    /// The owner (here: a user the file and directory belong to) files it.
    @Test func theOwnerFilesIt() async throws {
        let (directory, path) = try Self.store(fileMode: 0o644, directoryMode: 0o755)
        defer { directory.remove() }
        let nobody = try OtherUser("nobody")
        #expect(chown(path, nobody.uid, nobody.gid) == 0 && chown(directory.path, nobody.uid, nobody.gid) == 0)
        let result = try await nobody.eventscope(["rebuild", path, "orders", "--yes", "--requested-by", "nobody@here"])
        #expect(result.status == 0, "\(result.stderr)")
        // Whatever the run left in the directory is the owner's own.
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            var info = stat()
            #expect(stat(directory.file(name), &info) == 0 && info.st_uid == nobody.uid, "\(name) is not the owner's")
        }
        #expect(try await requests(in: path).map(\.requestedBy) == ["nobody@here"])
    }
}
