import CNCurses
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A key press, decoded from curses' codes.
enum Key: Equatable, Sendable {
    case character(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, backspace, tab
    case resize, redraw
}

/// The one owner of curses: starts it (locale, cbreak, no echo, keypad, short Escape delay, colours), writes
/// frame runs, reads keys with a timeout, and restores the terminal on every way out: deinit, exit(), and a
/// crash signal (endwin, then the previous handler runs).
final class Terminal {
    private(set) var width: Int
    private(set) var height: Int
    let glyphs: GlyphSet
    let hasColours: Bool
    /// (attributes, colour pair) per tone; the highlighted variant adds reverse video.
    private var toneAttributes: [(attr_t, Int16)] = []
    private var wideBuffer: [wchar_t] = []
    private var lastStyle: CellStyle?

    init() throws(DashboardError) {
        guard isatty(0) == 1, isatty(1) == 1 else { throw DashboardError.notATerminal }
        _ = pulse_set_locale()
        glyphs = GlyphSet.forCurrentLocale()
        // newterm, unlike initscr, returns NULL instead of exiting when TERM is unknown.
        guard let output = fdopen(dup(1), "w"), let input = fdopen(dup(0), "r") else {
            throw DashboardError.notATerminal
        }
        guard let screen = newterm(nil, output, input) else {
            fclose(output)
            fclose(input)
            throw DashboardError.cannotStartCurses(term: getenv("TERM").map { String(cString: $0) })
        }
        _ = set_term(screen)
        TerminalRestore.activate()
        _ = cbreak()
        _ = noecho()
        _ = nonl()
        _ = keypad(pulse_stdscr(), true)
        _ = set_escdelay(25)
        _ = curs_set(0)
        _ = leaveok(pulse_stdscr(), true)
        hasColours = has_colors()
        if hasColours {
            _ = start_color()
            _ = use_default_colors()
            let pairs: [(Int16, Int16)] = [
                (1, Int16(COLOR_GREEN)), (2, Int16(COLOR_YELLOW)), (3, Int16(COLOR_RED)), (4, Int16(COLOR_CYAN)),
                (5, Int16(COLOR_BLUE)), (6, Int16(COLOR_MAGENTA)),
            ]
            for (pair, colour) in pairs { _ = init_pair(pair, colour, -1) }
        }
        width = Int(pulse_cols())
        height = Int(pulse_lines())
        toneAttributes = Tone.allCases.map { Self.attributes(for: $0, colours: hasColours) }
    }

    deinit {
        TerminalRestore.restore()
    }

    /// Leaves curses now (idempotent); the terminal is back in its normal mode and screen.
    func close() {
        TerminalRestore.restore()
    }

    /// How long the next `readKey` may block, in milliseconds (0: never).
    func setInputTimeout(milliseconds: Int) {
        wtimeout(pulse_stdscr(), Int32(clamping: max(0, milliseconds)))
    }

    /// The next key, or nil when none arrived within the input timeout.
    func readKey() -> Key? {
        let code = wgetch(pulse_stdscr())
        switch code {
        case ERR: return nil
        case KEY_RESIZE:
            width = Int(pulse_cols())
            height = Int(pulse_lines())
            return .resize
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER, 10, 13: return .enter
        case KEY_BACKSPACE, 127, 8: return .backspace
        case 27: return .escape
        case 9: return .tab
        case 12: return .redraw
        case 32..<127: return .character(Character(Unicode.Scalar(UInt8(code))))
        default: return nil
        }
    }

    /// Makes the next frame repaint the whole physical screen (after a resize or Ctrl-L), so nothing of an
    /// earlier layout survives.
    func invalidate() {
        _ = clearok(pulse_stdscr(), true)
    }

    /// Writes frame runs to curses' virtual screen; `flush` then sends the difference to the terminal.
    func draw(_ runs: [DrawRun]) {
        for run in runs {
            if lastStyle != run.style {
                let (attributes, pair) = toneAttributes[Int(run.style.tone.rawValue)]
                _ = pulse_set_attributes(attributes | (run.style.reverse ? pulse_attr_reverse() : 0), pair)
                lastStyle = run.style
            }
            wideBuffer.removeAll(keepingCapacity: true)
            for scalar in run.scalars { wideBuffer.append(wchar_t(bitPattern: scalar.value)) }
            wideBuffer.append(0)
            _ = pulse_put_wide(Int32(run.row), Int32(run.col), wideBuffer, Int32(run.scalars.count))
        }
    }

    /// Sends the frame to the terminal in one write.
    func flush() {
        _ = wnoutrefresh(pulse_stdscr())
        _ = doupdate()
    }

    private static func attributes(for tone: Tone, colours: Bool) -> (attr_t, Int16) {
        switch tone {
        case .normal: return (pulse_attr_normal(), 0)
        case .dim: return (pulse_attr_dim(), 0)
        case .bold, .header: return (pulse_attr_bold(), 0)
        case .title: return colours ? (pulse_attr_bold(), 4) : (pulse_attr_bold(), 0)
        case .good: return colours ? (pulse_attr_normal(), 1) : (pulse_attr_normal(), 0)
        case .warn: return colours ? (pulse_attr_normal(), 2) : (pulse_attr_bold(), 0)
        case .bad: return colours ? (pulse_attr_bold(), 3) : (pulse_attr_bold() | pulse_attr_underline(), 0)
        case .accent: return colours ? (pulse_attr_normal(), 4) : (pulse_attr_bold(), 0)
        case .border: return colours ? (pulse_attr_normal(), 5) : (pulse_attr_dim(), 0)
        case .live: return colours ? (pulse_attr_normal(), 6) : (pulse_attr_underline(), 0)
        }
    }
}

/// Puts the terminal back (endwin) exactly once, from whichever exit path comes first: the owner closing,
/// process exit, or a crash signal. Signal-safe in the sense that matters: a flag and endwin, then the
/// handler that was there before (Swift's backtracer, or the default action) runs.
private enum TerminalRestore {
    static let active = Atomic<Bool>(false)
    static let crashSignals: [Int32] = [SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE, SIGTRAP]
    /// The handlers found before ours, indexed by signal number. Written only in `activate` before any of our
    /// handlers can run, read only by the crash handler.
    nonisolated(unsafe) static var previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
    nonisolated(unsafe) static var installed = false

    static func activate() {
        active.store(true, ordering: .sequentiallyConsistent)
        guard !installed else { return }
        installed = true
        atexit { TerminalRestore.restore() }
        for sig in crashSignals {
            var action = sigaction()
            #if canImport(Glibc)
                action.__sigaction_handler.sa_handler = { sig in
                    TerminalRestore.restore()
                    _ = sigaction(sig, TerminalRestore.previous + Int(sig), nil)
                    raise(sig)
                }
            #else
                action.__sigaction_u.__sa_handler = { sig in
                    TerminalRestore.restore()
                    _ = sigaction(sig, TerminalRestore.previous + Int(sig), nil)
                    raise(sig)
                }
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            _ = sigaction(sig, &action, previous + Int(sig))
        }
    }

    static func restore() {
        if active.exchange(false, ordering: .sequentiallyConsistent) {
            _ = endwin()
        }
    }
}
