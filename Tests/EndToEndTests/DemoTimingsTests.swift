import Foundation
import TestSupport
import Testing

/// `demo --timings` says where creation's time went, phase by phase, on standard error.
@Suite struct DemoTimingsTests {
    @Test func timingsNameEachPhaseInOrder() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let result = try await runEventscope(["demo", "--create-only", "--store", directory.file("t.db"), "--events", "500", "--timings"])
        #expect(result.status == 0, "\(result.stderr)")
        let phases = result.stderr.split(separator: "\n").compactMap { line -> String? in
            let parts = line.split(separator: ":")
            guard parts.count == 2, parts[1].hasSuffix(" s"), Double(parts[1].dropLast(2).trimmingCharacters(in: .whitespaces)) != nil
            else { return nil }
            return parts[0].trimmingCharacters(in: .whitespaces)
        }
        #expect(phases == ["generate and load", "index build", "finish"], "\(result.stderr)")
        let plain = try await runEventscope(["demo", "--create-only", "--store", directory.file("p.db"), "--events", "500"])
        #expect(plain.status == 0 && !plain.stderr.contains("index build"), "\(plain.stderr)")
    }
}
