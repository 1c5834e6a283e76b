import EventStore
import Foundation
import TestSupport
import Testing

extension LiveProcessTests {
    /// Acceptance 2: a store in each of the other layouts, written with its library's DDL, on
    /// SQLite and on PostgreSQL (the same rows copied into the layout's PostgreSQL DDL), browsed
    /// through every pane of the real explorer in a real terminal.
    @Suite struct LayoutTmuxTests {
        @Test(.tmux, arguments: [StoreLayout.eventsourcePy, .lexigram, .minimal], [false, true])
        func everyPaneOnASampleStore(_ layout: StoreLayout, onPostgres: Bool) async throws {
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            let path = directory.file("\(layout).db")
            let builder = try LayoutStoreBuilder(path: path, layout: layout)
            try builder.writeSample()
            try builder.close()
            var store = path
            let database = onPostgres ? try await PostgresServer.shared.makeDatabase("tmux\(layout)") : nil
            defer { Task { try? await database?.drop() } }
            if let database {
                try await PostgresLayoutCopy.copy(sqlitePath: path, layout: layout, into: database)
                store = database.url
            }
            let tmux = try await TmuxSession("\(shellQuote(eventscopeBinary)) \(shellQuote(store))")
            defer { tmux.kill() }
            let positioned = layout != .minimal
            let status = "\(layout) │ " + (positioned ? "head 13" : "no global positions")

            // Streams: the four, the control character escaped, the CJK id whole.
            var screen = try await tmux.waitUntilContains("[1 Streams]", "Streams (", status, "Order-1", "Order-é東京", "Account-a-b-c")
            #expect(!screen.contains("\u{1B}[2J"))
            // The multi-event stream's events, then one in detail.
            try await tmux.send("/")
            try await tmux.type("Order-1")
            try await tmux.send("Enter")
            // The filtered page, not the title over the previous one (Enter would open its selection).
            try await tmux.waitFor("the streams with prefix Order-1") { screen in
                screen.contains("Streams with prefix Order-1") && !PaneText(screen).rows.contains { $0.contains("Account-a-b-c") }
            }
            try await tmux.send("Enter")
            screen = try await tmux.waitUntilContains("[2 Events]", "Events of Order-1", "OrderPlaced", "OrderShipped")
            #expect(PaneText(screen).rows.count == 3, "\(PaneText(screen).rows)")
            try await tmux.send("Enter")
            screen = try await tmux.waitUntilContains("[3 Detail]", "Detail · OrderPlaced", "Order-1 #1", "Zoë Ångström", "correlation id")
            #expect(screen.contains("global 2") == positioned)
            #expect(screen.contains("corr-2"), "the correlation id is missing: \(screen)")
            if layout == .eventsourcePy { #expect(screen.contains("actor id") && screen.contains("alice")) }

            // The global log of one type, across streams, with positions where the layout has them.
            try await tmux.send(":")
            try await tmux.type("type OrderShipped")
            try await tmux.send("Enter")
            screen = try await tmux.waitUntilContains("[2 Events]", "Events of type OrderShipped")
            screen = try await tmux.waitFor("two OrderShipped rows") { PaneText($0).rows.filter { $0.contains("OrderShipped") }.count == 2 }
            #expect(screen.contains("GLOBAL") == positioned)
            if positioned { #expect(PaneText(screen).positions == [7, 12], "\(PaneText(screen).positions)") }

            // Projections and Gaps: rows, or what the layout lacks in words.
            try await tmux.send("4")
            if positioned {
                let names = layout == .lexigram ? ["orders", "gone", "fresh"] : ["TokenProjection", "LegacyById", "Frozen"]
                try await tmux.waitFor("the projections \(names)") { screen in (["[4 Projections]", "Projections (3)"] + names).allSatisfy(screen.contains) }
            } else {
                try await tmux.waitUntilContains("[4 Projections]", "this store's layout (minimal) has no checkpoints")
            }
            if layout == .eventsourcePy {
                // The outbox's counts under the projections: o2 and o3 pending, o1 published, o4 failed.
                try await tmux.waitUntilContains("outbox", "2 pending (oldest", "1 published", "1 failed")
            }
            try await tmux.send("5")
            if positioned {
                try await tmux.waitUntilContains("[5 Gaps]", "Gaps (")
            } else {
                try await tmux.waitUntilContains("[5 Gaps]", "this store's layout (minimal) has no global positions, so no gaps")
            }

            // Dead letters: a pane of its own where the layout keeps them, and `e` reaches the event.
            try await tmux.send("6")
            if layout == .eventsourcePy {
                screen = try await tmux.waitUntilContains("[6 Dead letters]", "Dead letters (3)", "TokenProjection", "boom: carrier")
                try await tmux.send("Enter")
                screen = try await tmux.waitUntilContains("Dead letter 1 · TokenProjection", "Traceback: line 1", "stack trace")
                try await tmux.send("e")
                screen = try await tmux.waitFor("the dead letter's event (ev-7, position 7) selected in the log") { screen in
                    screen.contains("[2 Events]") && PaneText(screen).selectedPosition == 7
                }
            } else {
                try await tmux.waitUntilContains("no Dead letters pane: ")
                #expect(!screen.contains("Dead letters"))
            }
            try await tmux.send("q")
            try await tmux.waitUntilEnded()
        }
    }
}
