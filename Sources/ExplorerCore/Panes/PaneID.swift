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

    /// From this width on, Events and Detail show side by side, the detail following the cursor.
    public static let sideBySideWidth = 160
    public var sideBySide: Bool { width >= Self.sideBySideWidth }
    /// The pane's box when one pane shows.
    public var box: Rect { Rect(x: 0, y: boxTop, width: width, height: boxHeight) }
    /// Events' box (left) and Detail's (right) when side by side; the list gets the narrower half.
    public var splitBoxes: (events: Rect, detail: Rect) {
        let left = width * 9 / 20
        return (Rect(x: 0, y: boxTop, width: left, height: boxHeight),
                Rect(x: left, y: boxTop, width: width - left, height: boxHeight))
    }
    /// Cells of Detail's text across (inside its box, past the gutter).
    public var detailTextWidth: Int { max(1, (sideBySide ? splitBoxes.detail.width - 2 : innerWidth) - 1) }
    public var statusRow: Int { height - 1 }
}
