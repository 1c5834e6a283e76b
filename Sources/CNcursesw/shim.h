#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <string.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Swift cannot import ncurses' macros and rejects its globals (stdscr, LINES, COLS, COLORS) as
// shared mutable state, so they are wrapped here as small prefixed functions.

static inline WINDOW *cnc_stdscr(void) { return stdscr; }
static inline int cnc_lines(void) { return LINES; }
static inline int cnc_cols(void) { return COLS; }
static inline int cnc_colors(void) { return COLORS; }
static inline int cnc_color_pairs(void) { return COLOR_PAIRS; }
static inline void cnc_getmaxyx(WINDOW *w, int *y, int *x) { int yy, xx; getmaxyx(w, yy, xx); *y = yy; *x = xx; }
static inline int cnc_wcwidth(wchar_t c) { return wcwidth(c); }

static inline attr_t cnc_attr_normal(void) { return A_NORMAL; }
static inline attr_t cnc_attr_bold(void) { return A_BOLD; }
static inline attr_t cnc_attr_reverse(void) { return A_REVERSE; }
static inline attr_t cnc_attr_underline(void) { return A_UNDERLINE; }

static inline int cnc_ok(void) { return OK; }
static inline int cnc_err(void) { return ERR; }
static inline int cnc_key_code_yes(void) { return KEY_CODE_YES; }
static inline int cnc_key_up(void) { return KEY_UP; }
static inline int cnc_key_down(void) { return KEY_DOWN; }
static inline int cnc_key_left(void) { return KEY_LEFT; }
static inline int cnc_key_right(void) { return KEY_RIGHT; }
static inline int cnc_key_npage(void) { return KEY_NPAGE; }
static inline int cnc_key_ppage(void) { return KEY_PPAGE; }
static inline int cnc_key_home(void) { return KEY_HOME; }
static inline int cnc_key_end(void) { return KEY_END; }
static inline int cnc_key_btab(void) { return KEY_BTAB; }
static inline int cnc_key_backspace(void) { return KEY_BACKSPACE; }
static inline int cnc_key_dc(void) { return KEY_DC; }
static inline int cnc_key_enter(void) { return KEY_ENTER; }
static inline int cnc_key_resize(void) { return KEY_RESIZE; }

/// Sets the locale from the environment; when its character set is not UTF-8, falls back to
/// C.UTF-8 so wide characters and box drawing still work. Returns 1 when UTF-8 is in effect.
static inline int cnc_setup_locale(void) {
    setlocale(LC_ALL, "");
    const char *codeset = nl_langinfo(CODESET);
    if (codeset && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0)) return 1;
    if (setlocale(LC_CTYPE, "C.UTF-8") || setlocale(LC_CTYPE, "C.utf8") || setlocale(LC_CTYPE, "en_US.UTF-8")) return 1;
    return 0;
}

/// What drawing one cell came to.
enum { CNC_DRAWN = 0, CNC_SETCCHAR_FAILED = 1, CNC_ADD_FAILED = 2 };

/// Draws one cell: up to CCHARW_MAX-1 wide characters (a base and its combining marks).
static inline int cnc_put_cell(int y, int x, const wchar_t *text, attr_t attrs, int pair) {
    cchar_t cc;
    if (setcchar(&cc, text, attrs, 0, &pair) != OK) return CNC_SETCCHAR_FAILED;
    return mvwadd_wch(stdscr, y, x, &cc) == OK ? CNC_DRAWN : CNC_ADD_FAILED;
}

/// The mouse wheel only (no clicks, so no click-timing delay): ncurses reports it as KEY_MOUSE.
static inline void cnc_enable_wheel(void) {
    mousemask(BUTTON4_PRESSED | BUTTON5_PRESSED, (mmask_t *)0);
    mouseinterval(0);
}
static inline int cnc_key_mouse(void) { return KEY_MOUSE; }

/// After KEY_MOUSE: -1 for the wheel turned up, 1 for down, 0 for anything else.
static inline int cnc_wheel_direction(void) {
    MEVENT event;
    if (getmouse(&event) != OK) return 0;
    if (event.bstate & BUTTON4_PRESSED) return -1;
    if (event.bstate & BUTTON5_PRESSED) return 1;
    return 0;
}

static inline int cnc_init_pair(int pair, int fg, int bg) { return init_extended_pair(pair, fg, bg); }

/* Declared here rather than through <term.h>, whose macros (lines, columns…) would clash. */
extern int setupterm(const char *term, int filedes, int *errret);

static inline int cnc_has_capability(const char *name) {
    const char *value = tigetstr(name);
    return value != (const char *)0 && value != (const char *)-1 && value[0] != 0;
}

/* What terminfo says of $TERM: 0 unknown, 1 usable, 2 known but unable to move the cursor (dumb).
   With an errret pointer setupterm reports instead of exiting, which initscr would do with a bare
   message. */
static inline int cnc_terminal_check(void) {
    int err = 0;
    if (setupterm((const char *)0, 1, &err) != OK) return 0;
    return cnc_has_capability("cup") ? 1 : 2;
}

/* Whether the terminal has an alternate screen to leave on exit (vt100 and linux have none). */
static inline int cnc_has_alternate_screen(void) { return cnc_has_capability("smcup"); }

/* Clears the screen through terminfo, after endwin (for terminals without an alternate screen). */
static inline void cnc_clear_after_endwin(void) {
    if (cnc_has_capability("clear")) putp(tigetstr("clear"));
    fflush(stdout);
}
#endif
