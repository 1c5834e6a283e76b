import ArgumentParser
import EventStore
import TerminalText

struct Streams: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List streams in id order, a page at a time.")

    @OptionGroup var options: StoreOptions

    @Option(help: "Only streams of this category (the id before its first '-').")
    var category: String?

    @Option(help: "Only streams whose id starts with this.")
    var prefix: String?

    @Option(help: "Start after this stream id (the last id of the previous page).")
    var after: String?

    @Option(help: "How many streams (1–10000).")
    var limit = 50

    func validate() throws {
        if category != nil, prefix != nil { throw ValidationError("--category and --prefix exclude each other") }
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
    }

    func run() async throws {
        let reader = try await options.open()
        let filter: StreamQuery.Filter = category.map { .category($0) } ?? prefix.map { .prefix($0) } ?? .none
        let streams = try await reader.streams(StreamQuery(filter: filter, after: after, limit: limit))
        let next = nextPage(after: streams)
        if options.json {
            try Output.line(PageCursor.page("streams", streams.map(\.json), next: next).pretty)
            if let next { Output.note(next.note) }
            return
        }
        var table = TextTable([.init("STREAM"), .init("CATEGORY"), .init("VERSION", .right), .init("UPDATED"), .init("DELETED")])
        for s in streams {
            table.append([s.problems.shown("stream_id", s.id), s.category, s.problems.shown("version", String(s.version)),
                          s.updatedAt?.shown ?? "", s.deletedAt?.shown ?? ""])
        }
        try Output.write(table.render())
        if let next {
            Output.note(next.note)
        } else if streams.isEmpty {
            Output.note("no streams" + (filter == .none ? "" : " match"))
        }
    }

    /// Where the next page starts, when this one is full: the last id, quoted for a shell on standard error.
    func nextPage(after streams: [StreamSummary]) -> PageCursor? {
        guard streams.count == limit, let last = streams.last else { return nil }
        return PageCursor("after", last.id, argument: Sanitizer.line(last.id).debugDescription)
    }
}
