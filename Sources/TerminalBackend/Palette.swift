import CNcursesw
import ExplorerCore

/// Colour pairs allocated on demand for (foreground, background) theme colours, mapped to the
/// terminal's palette: 256 colours when available, the nearest of 16 or 8 otherwise.
struct Palette {
    let colors: Int
    let pairLimit: Int
    private var pairs: [Key: Int32] = [:]
    private var next: Int32 = 1

    struct Key: Hashable {
        var fg: Color
        var bg: Color
    }

    init(colors: Int, pairLimit: Int) {
        self.colors = colors
        self.pairLimit = pairLimit
    }

    mutating func reset() {
        pairs = [:]
        next = 1
    }

    /// The pair number for two colours; 0 (the terminal's default) when colours are unavailable.
    mutating func pair(fg: Color, bg: Color) -> Int32 {
        guard colors > 0 else { return 0 }
        let key = Key(fg: fg, bg: bg)
        if let known = pairs[key] { return known }
        guard Int(next) < pairLimit else { return 0 }
        let f = Int32(fg.paletteIndex(colors: colors) ?? -1)
        let b = Int32(bg.paletteIndex(colors: colors) ?? -1)
        _ = cnc_init_pair(next, f, b)
        pairs[key] = next
        next += 1
        return pairs[key]!
    }
}
