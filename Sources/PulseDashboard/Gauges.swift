/// Bars, sparklines and column cells built from block glyphs, with eighth-cell resolution.
enum Gauges {
    /// A horizontal bar `width` cells long filled to `fraction` (0...1); the rest shows the empty glyph.
    static func bar(fraction: Double, width: Int, glyphs: GlyphSet) -> [Unicode.Scalar] {
        guard width > 0 else { return [] }
        let clamped = fraction.isFinite ? min(1, max(0, fraction)) : 0
        let eighths = Int((clamped * Double(width * 8)).rounded())
        var cells: [Unicode.Scalar] = []
        cells.reserveCapacity(width)
        for _ in 0..<(eighths / 8) { cells.append(glyphs.barEighths[0]) }
        if eighths % 8 != 0 { cells.append(glyphs.barEighths[eighths % 8]) }
        while cells.count < width { cells.append(glyphs.barEmpty) }
        return cells
    }

    /// The last `width` values (0...1) as sparkline levels, right-aligned (newest at the right, blanks on
    /// the left while history is short, and for nil: a time without a value).
    static func sparkline(_ values: [Double?], width: Int, glyphs: GlyphSet) -> [Unicode.Scalar] {
        guard width > 0 else { return [] }
        let recent = values.suffix(width)
        var cells = [Unicode.Scalar](repeating: " ", count: width - recent.count)
        let top = glyphs.sparkLevels.count - 1
        for value in recent {
            guard let value else {
                cells.append(" ")
                continue
            }
            let clamped = value.isFinite ? min(1, max(0, value)) : 0
            cells.append(glyphs.sparkLevels[min(top, Int(clamped * Double(top + 1)))])
        }
        return cells
    }

    /// One cell of a vertical column `filled` cells high (fractional), at `level` cells above the baseline;
    /// nil when the column does not reach that cell.
    static func columnCell(filled: Double, level: Int, glyphs: GlyphSet) -> Unicode.Scalar? {
        let portion = filled - Double(level)
        if portion >= 1 { return glyphs.sparkLevels[glyphs.sparkLevels.count - 1] }
        let eighths = Int((portion * 8).rounded())
        guard eighths > 0 else { return nil }
        return glyphs.sparkLevels[min(7, eighths - 1)]
    }

    /// The colour level of a utilisation: calm while bikes remain, loud when the station runs dry.
    static func tone(forUtilization utilization: Double?) -> Tone {
        guard let utilization else { return .dim }
        if utilization < 0.6 { return .good }
        if utilization < 0.85 { return .warn }
        return .bad
    }
}
