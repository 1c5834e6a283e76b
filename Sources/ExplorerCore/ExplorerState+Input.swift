import Foundation
import EventStore

extension ExplorerState {
    static let commands = ["pos", "stream", "type", "theme", "q"]

    mutating func inputKey(_ key: Key) -> [Effect] {
        guard var line = input else { return [] }
        switch key {
        case .escape:
            input = nil
            if case .search(.streams) = line.kind, streams.prefix != line.previousPrefix {
                streams.prefix = line.previousPrefix
                return [loadStreams(append: false)]
            }
            return []
        case .enter:
            input = nil
            switch line.kind {
            case .command: return runCommand(line.text)
            case .search(.streams): return []
            case .search(let pane): return startSearch(line.text, in: pane)
            }
        case .backspace, .delete:
            if line.text.isEmpty { input = nil; return [] }
            line.text.removeLast()
        case .tab:
            if line.kind == .command { line.text = complete(line.text) }
        case .char(let c):
            line.text.append(c)
        default:
            return []
        }
        input = line
        if case .search(.streams) = line.kind, line.text != streams.prefix {
            // The prefix filter is served by the store's index: reload as the operator types.
            streams.prefix = line.text
            return [loadStreams(append: false)]
        }
        return []
    }

    // MARK: the command line

    mutating func runCommand(_ text: String) -> [Effect] {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1).map(String.init)
        guard let name = parts.first else { return [] }
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        func needs(_ what: String) -> [Effect] {
            message = Message(text: ":\(name) needs \(what)", isError: true)
            return []
        }
        switch name {
        case "q", "quit":
            quit = true
            return [.quit]
        case "pos":
            guard let position = Int64(argument), position >= 0 else { return needs("a global position, e.g. :pos 123") }
            focus = .events
            return [openEvents(.globalLog, at: .position(position))]
        case "stream":
            guard !argument.isEmpty else { return needs("a stream id, e.g. :stream Account-acc1") }
            focus = .events
            return [openEvents(.stream(argument))]
        case "type":
            focus = .events
            if argument.isEmpty {
                message = Message(text: "showing every event type", isError: false)
                return [openEvents(.globalLog)]
            }
            return [openEvents(.log(types: [argument]))]
        case "theme":
            guard !argument.isEmpty else { return needs("a theme name or path: " + themeNames.joined(separator: ", ")) }
            return [.loadTheme(argument)]
        default:
            message = Message(text: "unknown command :\(name); try :pos N, :stream ID, :type NAME, :theme NAME, :q", isError: true)
            return []
        }
    }

    /// Completes a command name, or the argument of `:theme`, `:stream` and `:type` from what is loaded.
    mutating func complete(_ text: String) -> String {
        guard let space = text.firstIndex(of: " ") else {
            return completeWord(text, from: Self.commands, suffix: " ")
        }
        let name = String(text[..<space])
        let argument = String(text[text.index(after: space)...])
        var candidates: [String]
        switch name {
        case "theme": candidates = themeNames
        case "stream": candidates = streams.rows.map(\.id) + events.rows.map(\.streamId)
        case "type": candidates = events.rows.map(\.eventType)
        default: candidates = []
        }
        var seen = Set<String>()
        candidates = candidates.filter { seen.insert($0).inserted }
        return name + " " + completeWord(argument, from: candidates, suffix: "")
    }

    mutating func completeWord(_ word: String, from candidates: [String], suffix: String) -> String {
        let matches = candidates.filter { $0.hasPrefix(word) }
        if matches.count == 1 { return matches[0] + suffix }
        guard var common = matches.first else {
            message = Message(text: "no completion for \(word.debugDescription)", isError: true)
            return word
        }
        for m in matches.dropFirst() { while !m.hasPrefix(common) { common.removeLast() } }
        message = Message(text: matches.prefix(8).joined(separator: "  ") + (matches.count > 8 ? "  …" : ""), isError: false)
        return common.count > word.count ? common : word
    }

    // MARK: search over loaded rows

    func searchableRows(_ pane: PaneID) -> [String] {
        switch pane {
        case .events: events.rows.map { "\($0.globalPosition) \($0.eventType) \($0.streamId)" }
        case .projections: projections.rows.map { "\($0.name) \($0.state.rawValue) \($0.lease?.holderId ?? "")" }
        case .gaps: gaps.rows.map { "\($0.from)-\($0.to) \($0.kind.rawValue)" }
        case .streams: streams.rows.map(\.id)
        case .detail: []
        }
    }

    mutating func startSearch(_ text: String, in pane: PaneID) -> [Effect] {
        switch pane {
        case .events: events.search = text.isEmpty ? nil : text
        case .projections: projections.search = text.isEmpty ? nil : text
        case .gaps: gaps.search = text.isEmpty ? nil : text
        default: return []
        }
        guard !text.isEmpty else { return [] }
        return step(forward: true, includeCurrent: true)
    }

    /// `n`/`N`: moves to the next or previous loaded row containing the search text.
    mutating func step(forward: Bool, includeCurrent: Bool = false) -> [Effect] {
        let search: String?
        let current: Int
        switch focus {
        case .events: (search, current) = (events.search, events.cursor.selected)
        case .projections: (search, current) = (projections.search, projections.cursor.selected)
        case .gaps: (search, current) = (gaps.search, gaps.cursor.selected)
        default: return []
        }
        guard let search else {
            message = Message(text: "no search: press / to search this pane", isError: false)
            return []
        }
        let rows = searchableRows(focus)
        guard !rows.isEmpty else { return [] }
        // The search is a case-insensitive regular expression, or plain text when it is not one.
        let regex = try? Regex(search).ignoresCase()
        let needle = search.lowercased()
        func matches(_ row: String) -> Bool { regex.map { row.contains($0) } ?? row.lowercased().contains(needle) }
        for offset in (includeCurrent ? 0 : 1)...rows.count {
            let i = ((forward ? current + offset : current - offset) % rows.count + rows.count) % rows.count
            if matches(rows[i]) {
                if (forward && i < current) || (!forward && i > current) {
                    message = Message(text: "search wrapped", isError: false)
                }
                let visible = layout.listRows
                switch focus {
                case .events: events.cursor.select(i, count: rows.count, visible: visible)
                case .projections: projections.cursor.select(i, count: rows.count, visible: visible)
                default: gaps.cursor.select(i, count: rows.count, visible: visible)
                }
                return []
            }
        }
        message = Message(text: "no loaded row matches \(search.debugDescription)", isError: true)
        return []
    }
}
