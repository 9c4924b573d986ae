/// How much drawing costs: frames drawn, and the time from taking a snapshot to the terminal write
/// returning (the refresh-to-screen delay the app itself adds on top of the refresh period).
package struct FrameStats: Sendable {
    package var frames = 0
    package var totalSeconds = 0.0
    package var maxSeconds = 0.0
    /// Cells sent to curses, summed over frames (how much the diff saves).
    package var cellsWritten = 0

    package var meanSeconds: Double { frames == 0 ? 0 : totalSeconds / Double(frames) }

    mutating func record(seconds: Double, cells: Int) {
        frames += 1
        totalSeconds += seconds
        maxSeconds = max(maxSeconds, seconds)
        cellsWritten += cells
    }
}
