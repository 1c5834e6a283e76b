import EventStore
import Foundation
import TestSupport
import Testing

/// Acceptance 4: the eventsource-py fixture, in WAL mode with no sidecars, opens read-only from a
/// directory its reader cannot write (as `nobody`: root would bypass the permissions) and from a
/// writable one, and its bytes are the same afterwards.
@Suite(.serialized, .otherUsers) struct LayoutReadOnlyTests {
    static func digest(_ path: String) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.count.description + ":" + data.reduce(into: UInt64(1469598103934665603)) { hash, byte in
            hash = (hash ^ UInt64(byte)) &* 1099511628211
        }.description
    }

    static let views: [[String]] = [["head", "--json"], ["streams"], ["events"], ["event", "2"], ["projections"], ["gaps", "--from", "0"],
                                    ["dead-letters"], ["outbox", "--json"]]

    @Test(arguments: [0o755 as mode_t, 0o777])
    func theFixtureOpensAsAnotherUserAndStaysUnchanged(directoryMode: mode_t) async throws {
        try #require(OtherUser.canSwitch, "this test switches users with setpriv, which needs root")
        let directory = TemporaryDirectory("eventscope-esp")
        defer { directory.remove() }
        let path = directory.file("esp.sqlite")
        try FileManager.default.copyItem(atPath: eventsourcePyFixture, toPath: path)
        let nobody = try OtherUser("nobody")
        #expect(chmod(path, 0o644) == 0 && chmod(directory.path, directoryMode) == 0)
        #expect(!FileManager.default.fileExists(atPath: path + "-shm") && !FileManager.default.fileExists(atPath: path + "-wal"))
        let before = try Self.digest(path)
        for view in Self.views {
            let result = try await nobody.eventscope([view[0], path] + view.dropFirst())
            #expect(result.status == 0, "\(view) as nobody in a \(String(directoryMode, radix: 8)) directory: \(result.stderr)")
            if view == ["head", "--json"] { #expect(result.stdout.contains(#""layout": "eventsource-py""#) && result.stdout.contains(#""head": 4,"#)) }
            if view == ["outbox", "--json"] { #expect(result.stdout.contains(#""pending": 4,"#)) }
        }
        #expect(try Self.digest(path) == before, "reading changed the database file")
        // Nothing of the reader's is left beside the store (no -shm, no -wal created by nobody).
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0 != "esp.sqlite" }
        #expect(left == [], "\(left)")
    }

    /// As its owner in a writable directory (the ordinary case), the same views and the same bytes.
    @Test func theFixtureOpensAsItsOwnerAndStaysUnchanged() async throws {
        let directory = TemporaryDirectory("eventscope-esp")
        defer { directory.remove() }
        let path = directory.file("esp.sqlite")
        try FileManager.default.copyItem(atPath: eventsourcePyFixture, toPath: path)
        let before = try Self.digest(path)
        for view in Self.views {
            let result = try await runEventscope([view[0], path] + view.dropFirst())
            #expect(result.status == 0, "\(view): \(result.stderr)")
        }
        #expect(try Self.digest(path) == before, "reading changed the database file")
    }
}
