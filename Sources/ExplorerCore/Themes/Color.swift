/// A theme colour: the terminal's default, one of the 16 ANSI colours, or an RGB value.
public enum Color: Sendable, Hashable {
    case terminalDefault
    /// 0–7 normal, 8–15 bright.
    case ansi(Int)
    case rgb(UInt8, UInt8, UInt8)

    static let ansiNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// Parses `default`, `#rrggbb`, `red` or `bright-red`; nil when the text is none of those.
    public init?(parsing text: String) {
        let t = text.lowercased()
        if t == "default" { self = .terminalDefault; return }
        if let i = Self.ansiNames.firstIndex(of: t) { self = .ansi(i); return }
        if t.hasPrefix("bright-"), let i = Self.ansiNames.firstIndex(of: String(t.dropFirst(7))) {
            self = .ansi(i + 8)
            return
        }
        guard t.hasPrefix("#"), t.count == 7, let v = UInt32(t.dropFirst(), radix: 16) else { return nil }
        self = .rgb(UInt8(v >> 16), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF))
    }

    /// The xterm values of the 16 ANSI colours, for finding the nearest one.
    static let ansiRGB: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// The palette index to use on a terminal with `colors` colours (8, 16, 256 or more);
    /// nil for the terminal's default colour.
    public func paletteIndex(colors: Int) -> Int? {
        switch self {
        case .terminalDefault: return nil
        case .ansi(let i): return colors >= 16 ? i : i % 8
        case .rgb(let r, let g, let b):
            if colors >= 256 { return Self.xterm256(Int(r), Int(g), Int(b)) }
            let candidates = colors >= 16 ? 16 : 8
            return Self.nearest(Int(r), Int(g), Int(b), among: Array(Self.ansiRGB.prefix(candidates)))
        }
    }

    static func nearest(_ r: Int, _ g: Int, _ b: Int, among palette: [(Int, Int, Int)]) -> Int {
        var best = 0, bestDistance = Int.max
        for (i, c) in palette.enumerated() {
            let d = (c.0 - r) * (c.0 - r) + (c.1 - g) * (c.1 - g) + (c.2 - b) * (c.2 - b)
            if d < bestDistance { best = i; bestDistance = d }
        }
        return best
    }

    /// The nearest of xterm's 6×6×6 cube (16–231) and grey ramp (232–255).
    static func xterm256(_ r: Int, _ g: Int, _ b: Int) -> Int {
        let levels = [0, 95, 135, 175, 215, 255]
        func level(_ v: Int) -> Int { levels.indices.min(by: { abs(levels[$0] - v) < abs(levels[$1] - v) })! }
        let (lr, lg, lb) = (level(r), level(g), level(b))
        let cube = 16 + 36 * lr + 6 * lg + lb
        let cubeDistance = sq(levels[lr] - r) + sq(levels[lg] - g) + sq(levels[lb] - b)
        let grey = min(23, max(0, ((r + g + b) / 3 - 8 + 5) / 10))
        let gv = 8 + grey * 10
        let greyDistance = sq(gv - r) + sq(gv - g) + sq(gv - b)
        return greyDistance < cubeDistance ? 232 + grey : cube
    }

    private static func sq(_ v: Int) -> Int { v * v }
}
