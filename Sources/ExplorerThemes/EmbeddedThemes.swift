// Generated from themes/*.toml so an installed binary has its themes; a test keeps them equal.
// After editing a theme file, paste its new text here (ThemeTests says which one differs).
/// The shipped themes' TOML, compiled in.
public enum EmbeddedThemes {
    /// Shipped themes by name, in the order help lists them.
    public static let all: [(name: String, text: String)] = [
        ("dark", dark),
        ("light", light),
        ("high-contrast", highContrast),
        ("monochrome", monochrome),
    ]

    static let dark = """
        # eventscope theme: dark (the default). Colours are "#rrggbb", an ANSI name
        # (black, red, green, yellow, blue, magenta, cyan, white, and bright-*), or "default"
        # for the terminal's own colour.
        name = "dark"

        [colors]
        background = "default"
        text = "#d0d4dc"
        muted = "#7a8290"
        border = "#4a5160"
        focused_border = "#61afef"
        title = "#e5c07b"
        selection = "#2c3440"
        ok = "#98c379"
        warning = "#e5c07b"
        error = "#e06c75"
        json_key = "#61afef"
        json_string = "#98c379"
        json_number = "#d19a66"
        json_literal = "#c678dd"
        gap = "#e06c75"
        lease = "#56b6c2"
        """

    static let light = """
        # eventscope theme: light, for terminals with a light background.
        name = "light"

        [colors]
        background = "#fafafa"
        text = "#24292f"
        muted = "#6e7781"
        border = "#afb8c1"
        focused_border = "#0969da"
        title = "#8250df"
        selection = "#ddf4ff"
        ok = "#1a7f37"
        warning = "#9a6700"
        error = "#cf222e"
        json_key = "#0550ae"
        json_string = "#0a3069"
        json_number = "#953800"
        json_literal = "#8250df"
        gap = "#cf222e"
        lease = "#1b7c83"
        """

    static let highContrast = """
        # eventscope theme: high contrast, pure colours on black.
        name = "high-contrast"

        [colors]
        background = "black"
        text = "bright-white"
        muted = "white"
        border = "bright-white"
        focused_border = "bright-yellow"
        title = "bright-yellow"
        selection = "blue"
        ok = "bright-green"
        warning = "bright-yellow"
        error = "bright-red"
        json_key = "bright-cyan"
        json_string = "bright-green"
        json_number = "bright-yellow"
        json_literal = "bright-magenta"
        gap = "bright-red"
        lease = "bright-cyan"
        """

    static let monochrome = """
        # eventscope theme: monochrome, the terminal's own colours only (what NO_COLOR selects).
        # A "default" selection is drawn in reverse video.
        name = "monochrome"

        [colors]
        background = "default"
        text = "default"
        muted = "default"
        border = "default"
        focused_border = "default"
        title = "default"
        selection = "default"
        ok = "default"
        warning = "default"
        error = "default"
        json_key = "default"
        json_string = "default"
        json_number = "default"
        json_literal = "default"
        gap = "default"
        lease = "default"
        """
}
