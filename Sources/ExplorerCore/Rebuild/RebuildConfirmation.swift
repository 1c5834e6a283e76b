import EventStore

/// The overlay `R` opens on a projection: what a rebuild would cost, and the name typed to
/// confirm it. Nothing is written until the exact name is typed and Enter pressed.
public struct RebuildConfirmation: Sendable, Hashable {
    /// How a confirmed rebuild is carried out.
    public enum Route: Sendable, Hashable {
        /// A `rebuild` request in the commands table, for the runner that holds the lease.
        case request
        /// A configured command, run without a shell.
        case command(ForeignCommand)
    }

    public var projection: String
    public var route: Route
    /// The impact, once read; nil while loading or when the read failed (`problem` says why).
    public var impact: RebuildImpact?
    public var impactLoaded = false
    public var problem: String?
    public var pending: Pending?
    public var typed = ""
    /// Said under the prompt after an Enter that did not confirm.
    public var hint: String?

    public init(projection: String, route: Route) {
        self.projection = projection
        self.route = route
    }

    /// What a key does to the overlay.
    enum Outcome: Equatable {
        case stay
        case cancel
        case confirm
    }

    mutating func key(_ key: Key) -> Outcome {
        switch key {
        case .escape:
            return .cancel
        case .enter:
            if typed == projection { return .confirm }
            hint = typed.isEmpty
                ? "type the projection's name, then Enter (Esc cancels)"
                : "\(typed.debugDescription) is not \(projection.debugDescription): type the name exactly (Esc cancels)"
            return .stay
        case .backspace, .delete:
            if !typed.isEmpty { typed.removeLast() }
        case .char(let c):
            typed.append(c)
        default:
            break
        }
        hint = nil
        return .stay
    }

    // MARK: drawing

    /// The overlay's title, the words an operator (and a tmux test) looks for.
    static func title(_ name: String) -> String { "Rebuild \(name)?" }

    /// The overlay's box: centred over the pane, as wide as its text allows.
    static func rect(_ layout: Layout, lines: Int) -> Rect {
        let width = min(76, max(0, layout.width - 4))
        // Inside the pane's box, whose bottom border stays.
        let height = min(lines + 2, max(3, layout.boxHeight - 2))
        return Rect(x: (layout.width - width) / 2, y: layout.boxTop + 1, width: width, height: height)
    }

    /// The overlay's lines for `rows` rows: when they do not all fit, the explanations go first
    /// (the blank line, the warning, how it is carried out, an open request), never the facts
    /// or the prompt; a configured command's argument list stays, since it is what will run.
    func lines(_ context: PaneContext, rows: Int = .max) -> [StyledLine] {
        var lines = allLines(context)
        for droppable in [Line.blank, .warning, .how, .openRequest] where lines.count > rows {
            lines.removeAll { $0.kind == droppable }
        }
        return lines.map(\.spans)
    }

    enum Line: Equatable { case fact, blank, warning, how, openRequest, prompt }

    func allLines(_ context: PaneContext) -> [(kind: Line, spans: StyledLine)] {
        let label = { (text: String) in Span(text.padding(to: 15), Style(.muted)) }
        var lines: [(kind: Line, spans: StyledLine)] = []
        if let problem {
            lines.append((.fact, [Span("impact unknown: " + problem, Style(.error))]))
        } else if let impact {
            let checkpoint = impact.checkpoint.map(String.init) ?? "none"
            lines.append((.fact, [label("checkpoint"), Span(checkpoint, Style(.text, bold: true)), Span("  (head \(impact.head))", Style(.muted))]))
            lines.append((.fact, [label("replays"), Span("\(impact.eventsToReplay.description) events", Style(.text, bold: true))]))
            if let eta = impact.etaSeconds, let rate = impact.eventsPerSecond {
                lines.append((.fact, [label("ETA"), Span("about \(Self.duration(eta))"), Span("  at \(Int(rate.rounded())) events/s recently", Style(.muted))]))
            } else {
                lines.append((.fact, [label("ETA"), Span("unknown: no recent throughput from a runner", Style(.muted))]))
            }
            switch (impact.leaseHolder, impact.leaseExpired) {
            case (let holder?, true):
                lines.append((.fact, [label("lease"), Span(holder, Style(.lease)), Span("  expired: nobody serves it now", Style(.error))]))
            case (let holder?, _):
                lines.append((.fact, [label("lease"), Span(holder, Style(.lease)), Span("  holds it", Style(.muted))]))
            case (nil, _):
                lines.append((.fact, [label("lease"), Span("nobody holds it", Style(route == .request ? .warning : .muted))]))
            }
            if let open = impact.openRequest {
                lines.append((.openRequest, [label("open request"), Span("#\(open.id) \(open.status.text)", Style(.warning)),
                              Span(", asked \(TimeText.of(open.requestedAt, now: context.now, absolute: false)) ago by \(open.requestedBy) (a new one queues)",
                                                  Style(.muted))]))
            }
        } else if impactLoaded {
            lines.append((.fact, [Span("the store no longer knows a projection \(projection.debugDescription)", Style(.error))]))
        } else {
            lines.append((.fact, [Span("reading the impact…", Style(.muted))]))
        }
        switch route {
        case .request:
            lines.append((.how, [label("how"), Span("a request the runner holding the lease picks up")]))
        case .command(let command):
            lines.append((.fact, [label("runs"), Span(ShellWords.quoted(command.arguments(for: projection)), Style(.text, bold: true))]))
        }
        lines.append((.blank, []))
        lines.append((.warning, [Span("The read model is torn down and rebuilt from the first event.", Style(.warning))]))
        lines.append((.prompt, [Span("Type the projection's name to confirm; Esc cancels.", Style(.text))]))
        lines.append((.prompt, [Span("> ", Style(.title, bold: true)), Span(typed, Style(.text, bold: true)), Span("█", Style(.muted))]))
        if let hint { lines.append((.prompt, [Span(hint, Style(.error))])) }
        return lines
    }

    func draw(into grid: inout Grid, _ context: PaneContext) {
        let room = Self.rect(context.layout, lines: .max / 2).height - 2
        let content = lines(context, rows: room)
        let box = Self.rect(context.layout, lines: content.count)
        grid.fill(box)
        grid.box(box, style: Style(.focusedBorder), title: Self.title(projection), titleStyle: Style(.warning, bold: true))
        let inner = box.inner.droppingLeft(1)
        // The prompt and the hint matter most: a short box keeps the bottom lines.
        let shown = content.suffix(inner.height)
        for (row, line) in shown.enumerated() { grid.put(line, x: inner.x, y: inner.y + row, maxWidth: inner.width) }
    }

    /// "12s", "3m 20s", "2h 5m".
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.up))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m \(s % 60)s" }
        return "\(s / 3600)h \(s % 3600 / 60)m"
    }
}

/// Argument lists shown as a shell would need them typed: what runs is the list, never this text.
enum ShellWords {
    static func quoted(_ arguments: [String]) -> String {
        arguments.map { word in
            let plain = !word.isEmpty && word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+@%{}".contains($0) }
            return plain ? word : "'" + word.replacingAll("'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}

extension String {
    /// Padded with spaces to at least `width` characters.
    func padding(to width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}
