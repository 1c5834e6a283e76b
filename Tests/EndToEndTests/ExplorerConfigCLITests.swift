import Foundation
import TestSupport
import Testing

/// `--config` at the edge: the real binary reads config.toml, refuses a bad one with one line and
/// status 2, counts pending events for the configured types, and runs a configured rebuild
/// command (without a shell) when `R` is confirmed, showing its output in the log view.
@Suite struct ExplorerConfigCLITests {
    /// A waku store with two projections: `order_summary` (takes orders only, per the config) and
    /// a hostile `x; rm -rf /`, both at checkpoint 0 of 5 events (2 orders, 3 deposits).
    static func store(in dir: TemporaryDirectory) throws -> String {
        let path = dir.file("shop.db")
        let builder = try WakuStoreBuilder(path: path)
        try builder.stream("Order-o1", version: 1)
        try builder.stream("Account-a1", version: 2)
        try builder.event(0, stream: "Order-o1", position: 0, type: "OrderPlaced")
        try builder.event(1, stream: "Account-a1", position: 0, type: "MoneyDeposited")
        try builder.event(2, stream: "Order-o1", position: 1, type: "OrderShipped")
        try builder.event(3, stream: "Account-a1", position: 1, type: "MoneyDeposited")
        try builder.event(4, stream: "Account-a1", position: 2, type: "MoneyDeposited")
        try builder.checkpoint("order_summary", at: 0)
        try builder.checkpoint("x; rm -rf /", at: 0)
        try builder.close()
        return path
    }

    static func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func aMalformedConfigIsOneLineNamingFileAndKeyWithStatusTwo() async throws {
        let dir = TemporaryDirectory("config-cli")
        defer { dir.remove() }
        let store = try Self.store(in: dir)
        let config = dir.file("config.toml")
        try Self.write("[[store]]\nmatch = \"\(dir.path)\"\n[store.projections.order_summary]\nrebuild = \"waku-app rebuild\"\n", to: config)
        for command in ["snapshot", "explore"] {
            let result = try await runEventscope([command, store, "--config", config])
            #expect(result.status == 2, "\(command): \(result.stderr)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(command): \(result.stderr)")
            #expect(result.stderr.contains(config) && result.stderr.contains("store[1].projections.order_summary.rebuild"), "\(result.stderr)")
        }
        let missing = try await runEventscope(["snapshot", store, "--config", dir.file("nope.toml")])
        #expect(missing.status == 2 && missing.stderr.contains("nope.toml: no such file"), "\(missing.stderr)")
    }

    @Test func pendingCountsUseTheConfiguredEventTypes() async throws {
        let dir = TemporaryDirectory("config-cli")
        defer { dir.remove() }
        let store = try Self.store(in: dir)
        let config = dir.file("config.toml")
        try Self.write("[[store]]\nmatch = \"\(dir.path)\"\n[store.projections.order_summary]\nevent_types = [\"OrderPlaced\", \"OrderShipped\"]\n", to: config)
        func pending(_ arguments: [String]) async throws -> String? {
            let result = try await runEventscope(["snapshot", store, "--keys", "4"] + arguments,
                                                 environment: ["XDG_CONFIG_HOME": dir.file("none")])
            #expect(result.status == 0, "\(result.stderr)")
            // │>NAME CHECKPOINT HEAD PENDING …
            let row = result.stdout.split(separator: "\n").first { $0.contains("order_summary") }
            return row.map { $0.split(separator: " ").map(String.init) }.map { $0[3] }
        }
        // Four events follow checkpoint 0; of the configured types, only one (OrderShipped at 2).
        #expect(try await pending([]) == "4")
        #expect(try await pending(["--config", config]) == "1")
    }

    @Test func aConfiguredRebuildRunsWithTheNameAsOneArgumentAndShowsItsOutput() async throws {
        let dir = TemporaryDirectory("config-cli")
        defer { dir.remove() }
        let store = try Self.store(in: dir)
        let script = dir.file("rebuild.sh")
        try await writeExecutable("#!/bin/sh\nfor a in \"$@\"; do printf 'arg:%s\\n' \"$a\"; done\necho 'replayed 5 events' >&2\nexit 0\n", to: script)
        let config = dir.file("config.toml")
        try Self.write("[[store]]\nmatch = \"\(dir.path)\"\n[store.projections.\"x; rm -rf /\"]\nrebuild = [\"\(script)\", \"rebuild\", \"{projection}\"]\n",
                       to: config)
        // Rows in name order: order_summary, then the hostile name.
        let keys = "4 j R text:x; Space text:rm Space text:-rf Space text:/ Enter"
        let result = try await runEventscope(["snapshot", store, "--config", config, "--keys", keys])
        #expect(result.status == 0, "\(result.stderr)")
        let screen = result.stdout
        #expect(screen.contains("Rebuild x; rm -rf / · exited with status 0"), "\(screen)")
        #expect(screen.contains("$ \(script) rebuild 'x; rm -rf /'"), "\(screen)")
        let args = screen.split(separator: "\n").compactMap { line in line.range(of: "arg:").map { String(line[$0.lowerBound...]) } }
            .map { $0.replacingOccurrences(of: "│", with: "").trimmingCharacters(in: .whitespaces) }
        #expect(args == ["arg:rebuild", "arg:x; rm -rf /"], "\(screen)")
        #expect(screen.contains("replayed 5 events"), "\(screen)")
    }
}
