import Testing

@testable import PulseDashboard

@Suite struct GaugesTests {
    @Test func barFillsInEighths() {
        let g = GlyphSet.unicode
        #expect(String(String.UnicodeScalarView(Gauges.bar(fraction: 0.5, width: 4, glyphs: g))) == "██··")
        #expect(String(String.UnicodeScalarView(Gauges.bar(fraction: 0.5625, width: 4, glyphs: g))) == "██▎·")
        #expect(String(String.UnicodeScalarView(Gauges.bar(fraction: 1.7, width: 3, glyphs: g))) == "███")
        #expect(String(String.UnicodeScalarView(Gauges.bar(fraction: -1, width: 3, glyphs: g))) == "···")
        #expect(Gauges.bar(fraction: 0.3, width: 0, glyphs: g).isEmpty)
    }

    @Test func asciiBarUsesHashes() {
        let cells = Gauges.bar(fraction: 0.5, width: 4, glyphs: .ascii)
        #expect(String(String.UnicodeScalarView(cells)) == "##..")
    }

    @Test func sparklineIsRightAlignedAndScaled() {
        let cells = Gauges.sparkline([0, 0.5, 1], width: 5, glyphs: .unicode)
        #expect(String(String.UnicodeScalarView(cells)) == "  ▁▅█")
        let clipped = Gauges.sparkline([0, 0, 0, 1], width: 2, glyphs: .unicode)
        #expect(String(String.UnicodeScalarView(clipped)) == "▁█")
    }

    @Test func columnCellsStackFromTheBaseline() {
        let g = GlyphSet.unicode
        #expect(Gauges.columnCell(filled: 1.5, level: 0, glyphs: g) == "█")
        #expect(Gauges.columnCell(filled: 1.5, level: 1, glyphs: g) == "▄")
        #expect(Gauges.columnCell(filled: 1.5, level: 2, glyphs: g) == nil)
    }

    @Test func utilisationColourByLevel() {
        #expect(Gauges.tone(forUtilization: 0.3) == .good)
        #expect(Gauges.tone(forUtilization: 0.7) == .warn)
        #expect(Gauges.tone(forUtilization: 0.9) == .bad)
        #expect(Gauges.tone(forUtilization: nil) == .dim)
    }
}
