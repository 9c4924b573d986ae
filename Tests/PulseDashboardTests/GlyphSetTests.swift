import Testing

@testable import PulseDashboard

@Suite struct GlyphSetTests {
    @Test func codesetChoosesTheSet() {
        #expect(GlyphSet.forCodeset("UTF-8") == .unicode)
        #expect(GlyphSet.forCodeset("utf8") == .unicode)
        #expect(GlyphSet.forCodeset("ANSI_X3.4-1968") == .ascii)
        #expect(GlyphSet.forCodeset("ISO-8859-1") == .ascii)
    }

    @Test func asciiSetIsSevenBit() {
        let g = GlyphSet.ascii
        let all =
            [
                g.horizontal, g.vertical, g.topLeft, g.topRight, g.bottomLeft, g.bottomRight, g.ellipsis, g.barEmpty,
                g.up, g.down, g.dot,
            ]
            + g.barEighths + g.sparkLevels
        let allASCII = all.allSatisfy { $0.isASCII }
        let separatorASCII = g.separator.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(allASCII)
        #expect(separatorASCII && g.degree.isEmpty)
    }
}
