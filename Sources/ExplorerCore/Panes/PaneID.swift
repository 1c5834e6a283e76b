/// The panes, in the order `1`–`6` and Tab select them. Dead letters is there only for stores
/// that keep them (`ExplorerState.panes`).
public enum PaneID: Int, Sendable, Hashable, CaseIterable {
    case streams, events, detail, projections, gaps, deadLetters

    public var title: String {
        switch self {
        case .streams: "Streams"
        case .events: "Events"
        case .detail: "Detail"
        case .projections: "Projections"
        case .gaps: "Gaps"
        case .deadLetters: "Dead letters"
        }
    }
}

/// Where the screen's parts go for a terminal size.
public struct Layout: Sendable, Hashable {
    public static let minWidth = 40
    public static let minHeight = 10

    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    public var isTooSmall: Bool { width < Self.minWidth || height < Self.minHeight }
    /// The pane's box: below the tab bar, above the hint and status lines.
    public var boxTop: Int { 1 }
    public var boxHeight: Int { max(2, height - 3) }
    public var innerWidth: Int { max(0, width - 2) }
    /// Rows of a table pane (inside the box, under its header row).
    public var listRows: Int { max(1, boxHeight - 3) }
    /// Rows of the detail pane's text.
    public var textRows: Int { max(1, boxHeight - 2) }
    public var hintRow: Int { height - 2 }
    public var statusRow: Int { height - 1 }
}
