/// A stretch of one row to (re)write with one style.
struct DrawRun: Equatable, Sendable {
    var row: Int
    var col: Int
    var scalars: [Unicode.Scalar]
    var style: CellStyle
}

/// Compares two frames and lists only what changed, so a steady screen costs nothing and nothing flickers.
enum FrameDiff {
    /// Runs that turn `previous` into `next`; every cell of `next` when there is no comparable previous frame
    /// (first frame, resize).
    static func runs(from previous: Canvas?, to next: Canvas) -> [DrawRun] {
        let comparable = previous.map { $0.width == next.width && $0.height == next.height } ?? false
        var runs: [DrawRun] = []
        for row in 0..<next.height {
            var current: DrawRun?
            for col in 0..<next.width {
                let cell = next[row, col]
                let changed = !comparable || previous![row, col] != cell
                if changed, var run = current, run.style == cell.style, run.col + run.scalars.count == col {
                    run.scalars.append(cell.scalar)
                    current = run
                    continue
                }
                if let run = current { runs.append(run) }
                current = changed ? DrawRun(row: row, col: col, scalars: [cell.scalar], style: cell.style) : nil
            }
            if let run = current { runs.append(run) }
        }
        return runs
    }
}
