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
        if options.json {
            try Output.line(JSONValue.array(streams.map(\.json)).pretty)
            return
        }
        var table = TextTable([.init("STREAM"), .init("CATEGORY"), .init("VERSION", .right), .init("UPDATED"), .init("DELETED")])
        for s in streams {
            table.append([s.problems.shown("stream_id", s.id), s.category, s.problems.shown("version", String(s.version)),
                          s.updatedAt?.shown ?? "", s.deletedAt?.shown ?? ""])
        }
        try Output.write(table.render())
        if streams.count == limit, let last = streams.last {
            Output.note("more: --after \(Sanitizer.line(last.id).debugDescription)")
        } else if streams.isEmpty {
            Output.note("no streams" + (filter == .none ? "" : " match"))
        }
    }
}
