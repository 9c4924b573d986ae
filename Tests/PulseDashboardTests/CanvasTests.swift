import Testing

@testable import PulseDashboard

@Suite struct CanvasTests {
    @Test func textIsClippedWithAnEllipsis() {
        var canvas = Canvas(width: 10, height: 1, glyphs: .unicode)
        canvas.text("Framingham", row: 0, col: 0, width: 6)
        #expect(canvas.rowText(0) == "Frami…    ")
    }

    @Test func rightAlignedFieldsArePadded() {
        var canvas = Canvas(width: 6, height: 1, glyphs: .ascii)
        canvas.text("42", row: 0, col: 1, width: 4, align: .right)
        #expect(canvas.rowText(0) == "   42 ")
    }

    @Test func drawingOffTheCanvasIsIgnored() {
        var canvas = Canvas(width: 3, height: 1, glyphs: .unicode)
        canvas.text("abcdef", row: 0, col: 1)
        canvas.text("zz", row: 5, col: 0)
        canvas.put("q", row: 0, col: -1, style: .normal)
        #expect(canvas.rowText(0) == " a…")
    }

    @Test func boxHasCornersAndTitle() {
        var canvas = Canvas(width: 12, height: 3, glyphs: .unicode)
        canvas.box(canvas.bounds, title: "Hi")
        #expect(canvas.rowText(0) == "┌─ Hi ─────┐")
        #expect(canvas.rowText(1) == "│          │")
        #expect(canvas.rowText(2) == "└──────────┘")
    }

    @Test func asciiCanvasReplacesNonASCII() {
        var canvas = Canvas(width: 8, height: 3, glyphs: .ascii)
        canvas.box(canvas.bounds)
        canvas.text("°é", row: 1, col: 1)
        #expect(canvas.rowText(0) == "+------+")
        #expect(canvas.rowText(1) == "|??    |")
    }
}
