import ArgumentParser
import EventStore
import Foundation

/// The root command: a scriptable view per pane, the demo store, and (by default) the explorer.
struct Eventscope: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eventscope",
        abstract: "See inside an event store: streams, events, projections, lag and gaps. Read-only.",
        discussion: """
            STORE is a SQLite file path, sqlite:///abs/path.db, or postgres://user[:pass]@host[:port]/db. \
            Every view takes --json. Bad input exits with status 2, other failures with 1.
            """,
        version: Version.number,
        subcommands: [Explore.self, Head.self, Streams.self, Events.self, EventCommand.self, Projections.self, Gaps.self,
                      DeadLetters.self, Outbox.self, Tail.self, Snapshot.self, Demo.self, Rebuild.self, Commands.self, RunnerCommand.self],
        defaultSubcommand: Explore.self
    )
}

@main
enum Main {
    static func main() async {
        // A closed pipe is an ordinary way for a reader to stop: handle EPIPE, don't die of SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try Eventscope.parseAsRoot()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let error as StoreError {
            Output.fail(error.description, status: error.isBadInput ? 2 : 1)
        } catch let error as JSONSyntaxError {
            Output.fail(error.description, status: 1)
        } catch let closed as OutputClosed {
            if closed.readerLeft { exit(0) }
            Output.fail(closed.description, status: 1)
        } catch let ended as ExplorerEndedBySignal {
            // The terminal is already restored; the status says which signal, as a shell expects.
            exit(128 + ended.signal)
        } catch {
            let code = Eventscope.exitCode(for: error)
            if code == .success { Eventscope.exit(withError: error) }
            // Usage errors are bad input too: status 2, like the store errors.
            if code == .validationFailure {
                Output.fail(Eventscope.fullMessage(for: error), status: 2, prefix: false)
            }
            Output.fail(Eventscope.fullMessage(for: error), status: code.rawValue == 0 ? 1 : code.rawValue)
        }
    }
}
