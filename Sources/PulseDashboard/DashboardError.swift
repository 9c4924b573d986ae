/// Why the dashboard could not start, with what a user can do about it.
package struct DashboardError: Error, CustomStringConvertible, Sendable {
    package let description: String

    init(_ description: String) {
        self.description = description
    }

    static let notATerminal = DashboardError(
        "the dashboard needs a terminal on stdin and stdout; run with --no-ui for headless output")

    static func cannotStartCurses(term: String?) -> DashboardError {
        DashboardError(
            "curses could not start on TERM=\(term ?? "(unset)"); set TERM to a known terminal (xterm-256color)"
                + " or run with --no-ui")
    }
}
