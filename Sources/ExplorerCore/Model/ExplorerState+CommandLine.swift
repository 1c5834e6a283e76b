import EventStore

/// The `/` and `:` line at the bottom: typing, the commands, completion.
extension ExplorerState {
    static let commands = ["pos", "stream", "type", "theme", "q"]

    mutating func inputKey(_ key: Key) -> [Effect] {
        guard var line = input else { return [] }
        switch key {
        case .escape:
            input = nil
            // Completion candidates and hints belong to the line: they go with it.
            if message?.isError == false { message = nil }
            if case .search(.streams) = line.kind, streams.prefix != line.previousPrefix {
                return filterStreams(prefix: line.previousPrefix)
            }
            return []
        case .enter:
            input = nil
            switch line.kind {
            case .command: return runCommand(line.text)
            case .search(.streams): return []
            case .search(let pane): return route(.search(line.text), to: pane)
            }
        case .backspace, .delete:
            if line.text.isEmpty { input = nil; return [] }
            line.text.removeLast()
        case .tab:
            if line.kind == .command {
                if let query = storeCompletion(line.text) {
                    var context = self.context
                    let id = context.takeRequestID()
                    adopt(context)
                    line.completing = InputLine.Completion(id: id, text: line.text)
                    input = line
                    return [.query(id: id, slot: .completion, query)]
                }
                line.text = complete(line.text)
            }
        case .char(let c):
            line.text.append(c)
        default:
            return []
        }
        input = line
        if case .search(.streams) = line.kind, line.text != streams.prefix {
            // The prefix filter is served by the store's index: reload as the operator types.
            return filterStreams(prefix: line.text)
        }
        return []
    }

    // MARK: the command line

    mutating func runCommand(_ text: String) -> [Effect] {
        let parts = Self.trimmed(text[...]).split(separator: " ", maxSplits: 1)
        guard let name = parts.first.map(String.init) else { return [] }
        let argument = parts.count > 1 ? Self.trimmed(parts[1]) : ""
        func needs(_ what: String) -> [Effect] {
            message = Message(text: ":\(name) needs \(what)", isError: true)
            return []
        }
        switch name {
        case "q", "quit":
            return quitNow()
        case "pos":
            guard let position = Int64(argument), position >= 0 else { return needs("a global position, e.g. :pos 123") }
            if let head, position > head {
                // Past the head there is nothing to show: the head is the nearest thing that is.
                message = Message(text: head < 0 ? "the store is empty" : "position \(position) is past the head \(head); showing the head",
                                  isError: false)
                return perform([.open(.globalLog, at: .last)])
            }
            return perform([.open(.globalLog, at: .position(position))])
        case "stream":
            guard !argument.isEmpty else { return needs("a stream id, e.g. :stream Account-acc1") }
            return perform([.open(.stream(argument), at: .first)])
        case "type":
            if argument.isEmpty {
                message = Message(text: "showing every event type", isError: false)
                return perform([.open(.globalLog, at: .first)])
            }
            return perform([.open(.log(types: [argument]), at: .first)])
        case "theme":
            guard !argument.isEmpty else { return needs("a theme name or path: " + themeNames.joined(separator: ", ")) }
            return [.loadTheme(argument)]
        default:
            message = Message(text: "unknown command :\(name); try :pos N, :stream ID, :type NAME, :theme NAME, :q", isError: true)
            return []
        }
    }

    /// The store query that completes `:stream` and `:type` through the store's indexes (what is
    /// loaded is only a page of it); nil for what completes from what is known already.
    func storeCompletion(_ text: String) -> Query? {
        guard let space = text.firstIndex(of: " ") else { return nil }
        let argument = String(text[text.index(after: space)...])
        switch text[..<space] {
        case "stream": return .completeStreams(prefix: argument)
        case "type": return .completeTypes(prefix: argument)
        default: return nil
        }
    }

    /// Candidates from the store, for a completion still wanted (the line has not changed since).
    mutating func receiveCompletions(id: Int, _ candidates: [String]) -> [Effect] {
        guard var line = input, let asked = line.completing, asked.id == id else { return [] }
        line.completing = nil
        if line.text == asked.text, let space = line.text.firstIndex(of: " ") {
            let name = String(line.text[..<space])
            line.text = name + " " + completeWord(String(line.text[line.text.index(after: space)...]), from: candidates, suffix: "")
        }
        input = line
        return []
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

    static func trimmed(_ text: Substring) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }), let last = text.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(text[first...last])
    }

    mutating func filterStreams(prefix: String) -> [Effect] {
        withContext { state, context in state.streams.filter(prefix: prefix, &context) }
    }
}
