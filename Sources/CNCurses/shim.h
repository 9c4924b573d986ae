#ifndef PULSE_CNCURSES_SHIM_H
#define PULSE_CNCURSES_SHIM_H
/* SwiftPM drops pkg-config's -D_XOPEN_SOURCE, so wide-character curses must be asked for here. */
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <stdio.h>
#include <ncursesw/curses.h>

/* C globals and macros do not import into Swift 6: typed accessors. */
static inline WINDOW *pulse_stdscr(void) { return stdscr; }
static inline int pulse_lines(void) { return LINES; }
static inline int pulse_cols(void) { return COLS; }
static inline int pulse_color_pair(int n) { return COLOR_PAIR(n); }
static inline int pulse_set_locale(void) { return setlocale(LC_ALL, "") != NULL; }
/* stdout is a C global Swift 6 refuses; line-buffer it here so piped status lines survive a kill. */
static inline void pulse_line_buffer_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }
/* Dashboard: attribute macros (NCURSES_BITS) and the stdscr-implied calls do not import either. */
static inline attr_t pulse_attr_normal(void) { return A_NORMAL; }
static inline attr_t pulse_attr_bold(void) { return A_BOLD; }
static inline attr_t pulse_attr_dim(void) { return A_DIM; }
static inline attr_t pulse_attr_reverse(void) { return A_REVERSE; }
static inline attr_t pulse_attr_underline(void) { return A_UNDERLINE; }
static inline int pulse_set_attributes(attr_t attrs, short pair) { return wattr_set(stdscr, attrs, pair, NULL); }
static inline int pulse_put_wide(int y, int x, const wchar_t *text, int count) {
    return mvwaddnwstr(stdscr, y, x, text, count);
}
#endif
