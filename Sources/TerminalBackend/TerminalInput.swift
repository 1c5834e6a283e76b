import CNcursesw
import ExplorerCore

#if canImport(Glibc)
import Glibc
#endif

/// What the terminal reports: a key, a new size (also after a suspension: redraw everything), or
/// a signal that ends the explorer (SIGTERM, SIGHUP, SIGINT, SIGQUIT, or Ctrl-\ typed in raw mode).
public enum TerminalEvent: Sendable, Hashable {
    case key(Key)
    case resize(width: Int, height: Int)
    case terminated(signal: Int32)
}

/// Decodes ncurses' `wget_wch` results into keys.
enum TerminalInput {
    static func decode(status: Int32, code: UInt32) -> TerminalEvent? {
        if status == cnc_key_code_yes() { return functionKey(Int32(bitPattern: code)) }
        guard status == cnc_ok() else { return nil }
        switch code {
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 9: return .key(.tab)
        case 8, 127: return .key(.backspace)
        // Ctrl-\ sends SIGQUIT in a cooked terminal; in raw mode it arrives as a byte, and means the same.
        case 28: return .terminated(signal: SIGQUIT)
        case 1...26: return .key(.control(Character(Unicode.Scalar(code + 96)!)))
        default:
            guard let scalar = Unicode.Scalar(code), code >= 32 else { return nil }
            return .key(.char(Character(scalar)))
        }
    }

    static func functionKey(_ code: Int32) -> TerminalEvent? {
        let table: [(Int32, Key)] = [
            (cnc_key_up(), .up), (cnc_key_down(), .down), (cnc_key_left(), .left), (cnc_key_right(), .right),
            (cnc_key_npage(), .pageDown), (cnc_key_ppage(), .pageUp), (cnc_key_home(), .home), (cnc_key_end(), .end),
            (cnc_key_btab(), .backTab), (cnc_key_backspace(), .backspace), (cnc_key_dc(), .delete), (cnc_key_enter(), .enter),
        ]
        if code == cnc_key_mouse() {
            switch cnc_wheel_direction() {
            case -1: return .key(.wheelUp)
            case 1: return .key(.wheelDown)
            default: return nil
            }
        }
        if code == cnc_key_resize() {
            var h: Int32 = 0, w: Int32 = 0
            cnc_getmaxyx(cnc_stdscr(), &h, &w)
            return .resize(width: Int(w), height: Int(h))
        }
        return table.first { $0.0 == code }.map { .key($0.1) }
    }
}
