#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The characters the dashboard draws with: box and block characters on a UTF-8 terminal, plain ASCII
/// otherwise (a curses program on a non-UTF-8 locale shows `lqqk` and `~V~H` for what it cannot encode).
struct GlyphSet: Sendable, Equatable {
    let isUnicode: Bool
    let horizontal: Unicode.Scalar
    let vertical: Unicode.Scalar
    let topLeft: Unicode.Scalar
    let topRight: Unicode.Scalar
    let bottomLeft: Unicode.Scalar
    let bottomRight: Unicode.Scalar
    let ellipsis: Unicode.Scalar
    /// A full bar cell, then the partial cells 1/8...7/8 (index 1...7).
    let barEighths: [Unicode.Scalar]
    let barEmpty: Unicode.Scalar
    /// Sparkline levels, lowest first.
    let sparkLevels: [Unicode.Scalar]
    let up: Unicode.Scalar
    let down: Unicode.Scalar
    /// A working service (`dot`) and a failing one (`cross`): the state reads without colour.
    let dot: Unicode.Scalar
    let cross: Unicode.Scalar
    let separator: String
    let degree: String

    /// Box-drawing and block characters.
    static let unicode = GlyphSet(
        isUnicode: true, horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└",
        bottomRight: "┘", ellipsis: "…",
        barEighths: ["█", "▏", "▎", "▍", "▌", "▋", "▊", "▉"], barEmpty: "·",
        sparkLevels: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], up: "▲", down: "▼", dot: "●", cross: "✗",
        separator: " │ ",
        degree: "°")

    /// Seven-bit fallback for terminals whose locale is not UTF-8.
    static let ascii = GlyphSet(
        isUnicode: false, horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+",
        bottomRight: "+", ellipsis: "~",
        barEighths: ["#", " ", " ", " ", "=", "=", "=", "="], barEmpty: ".",
        sparkLevels: ["_", ".", "-", "-", "=", "=", "#", "#"], up: "^", down: "v", dot: "*", cross: "x",
        separator: " | ",
        degree: "")

    /// Picks the set from the current locale's codeset; call after `setlocale(LC_ALL, "")`.
    static func forCurrentLocale() -> GlyphSet {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return .ascii }
        return forCodeset(String(cString: codeset))
    }

    /// "UTF-8" (any case, with or without the dash) means Unicode; anything else means ASCII.
    static func forCodeset(_ codeset: String) -> GlyphSet {
        let normalized = codeset.uppercased().filter { $0 != "-" && $0 != "_" }
        return normalized == "UTF8" ? .unicode : .ascii
    }

    /// What to draw for `scalar`: itself, or `?` when this set is ASCII and the scalar is not.
    func displayable(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        isUnicode || scalar.isASCII ? scalar : "?"
    }
}
