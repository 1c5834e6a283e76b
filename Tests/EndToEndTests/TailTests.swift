import EventStore
import Foundation
import TestSupport
import Testing

/// `tail` against a real concurrent writer process: every visible event, in order, once.
@Suite(.serialized) struct TailTests {
    @Test func tailPrintsWhatAConcurrentLiveWriterAppends() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("live.db")
        let create = try runEventscope(["demo", "--create-only", "--store", path, "--events", "2000"])
        #expect(create.status == 0, "\(create.stderr)")

        let output = directory.file("tail.jsonl")
        let tailErr = Pipe()
        let tail = try startEventscope(["tail", path, "--json"], standardOutput: try outputFile(output), standardError: tailErr)
        // The first line on stderr names the position tail follows from.
        let announce = String(decoding: tailErr.fileHandleForReading.availableDataLine(), as: UTF8.self)
        let start = try #require(Int64(announce.split(separator: " ").last(where: { Int64($0) != nil }) ?? ""), "\(announce)")

        // A high rate, with a skipped position now and then, so gaps occur during the follow.
        let live = try startEventscope(["demo", "--live", "--store", path, "--rate", "400"])
        Thread.sleep(forTimeInterval: 5)
        live.interrupt()
        live.waitUntilExit()
        #expect(live.terminationStatus == 0)
        Thread.sleep(forTimeInterval: 1)
        tail.interrupt()
        tail.waitUntilExit()
        #expect(tail.terminationStatus == 0)

        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        let positions = try lines.map { line -> Int64 in
            let object = try #require(try parseJSON(String(line)) as? [String: Any])
            return try #require(object["global_position"] as? Int64)
        }
        let expected = try BruteForce(path: path).log(after: start, limit: 1_000_000)
        #expect(expected.count > 500, "the writer appended too little to prove anything: \(expected.count)")
        #expect(positions == expected)
    }

    @Test func tailEndsCleanlyWhenThePipeCloses() throws {
        let out = Pipe()
        let process = try startEventscope(["tail", DemoFixture.standard.path, "--from", "0", "--json"], standardOutput: out)
        _ = out.fileHandleForReading.availableDataLine()
        try out.fileHandleForReading.close()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!process.isRunning, "tail kept running after its reader went away")
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    }
}

extension FileHandle {
    /// Reads byte by byte up to a newline: enough for one announcement line.
    func availableDataLine() -> Data {
        var line = Data()
        while let byte = try? read(upToCount: 1), let b = byte.first, b != 0x0A { line.append(b) }
        return line
    }
}
