import Testing

@testable import PulseDashboard

@Suite struct FrameDiffTests {
    @Test func firstFrameWritesEveryCellInStyleRuns() {
        var canvas = Canvas(width: 6, height: 2, glyphs: .unicode)
        canvas.text("ab", row: 0, col: 0, style: .bold)
        let runs = FrameDiff.runs(from: nil, to: canvas)
        #expect(runs.reduce(0) { $0 + $1.scalars.count } == 12)
        #expect(runs[0] == DrawRun(row: 0, col: 0, scalars: ["a", "b"], style: .bold))
        #expect(runs[1] == DrawRun(row: 0, col: 2, scalars: [" ", " ", " ", " "], style: .normal))
    }

    @Test func unchangedFrameWritesNothing() {
        var canvas = Canvas(width: 10, height: 3, glyphs: .unicode)
        canvas.box(canvas.bounds, title: "x")
        #expect(FrameDiff.runs(from: canvas, to: canvas).isEmpty)
    }

    @Test func onlyChangedCellsAreWritten() {
        var before = Canvas(width: 10, height: 2, glyphs: .unicode)
        before.text("rows 100", row: 1, col: 0)
        var after = before
        after.text("rows 101", row: 1, col: 0)
        after.text("!", row: 0, col: 9, style: .bad)
        let runs = FrameDiff.runs(from: before, to: after)
        #expect(
            runs == [
                DrawRun(row: 0, col: 9, scalars: ["!"], style: .bad),
                DrawRun(row: 1, col: 7, scalars: ["1"], style: .normal),
            ])
    }

    @Test func resizedFrameIsRedrawnWhole() {
        let small = Canvas(width: 4, height: 2, glyphs: .unicode)
        let large = Canvas(width: 5, height: 2, glyphs: .unicode)
        #expect(FrameDiff.runs(from: small, to: large).reduce(0) { $0 + $1.scalars.count } == 10)
    }
}
