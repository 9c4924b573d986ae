/// The grammar of RFC 8259 over raw bytes: whitespace, strings (escapes and UTF-8 checked),
/// numbers (decoded to a decimal mantissa and exponent on the way), literals and nested
/// containers. `JSONRecordScanner` drives it; it allocates nothing and never reads past `end`.
struct JSONCursor {
    let base: UnsafePointer<UInt8>
    let end: Int
    var pos: Int = 0

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.end = count
    }

    @inline(__always)
    func failure(_ kind: JSONSyntaxError.Kind) -> JSONSyntaxError {
        JSONSyntaxError(kind, at: pos)
    }

    /// The byte at `pos`; end of input is a syntax error.
    @inline(__always)
    func peek() throws(JSONSyntaxError) -> UInt8 {
        guard pos < end else { throw failure(.unexpectedEnd) }
        return base[pos]
    }

    /// RFC 8259 § 2: ws = *( %x20 / %x09 / %x0A / %x0D )
    @inline(__always)
    mutating func skipWhitespace() {
        while pos < end {
            let b = base[pos]
            guard b <= 0x20, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            pos &+= 1
        }
    }

    // MARK: strings

    /// Scans a string body; `pos` is just past the opening quote and ends just past the
    /// closing one. Returns whether the body holds escapes (then it must be decoded).
    @inline(__always)
    mutating func scanStringBody() throws(JSONSyntaxError) -> Bool {
        var escapes = false
        while true {
            // Eight bytes at a time until one is a quote, a backslash, a control or non-ASCII byte.
            while pos &+ 8 <= end {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self))
                let mask = JSONCursor.specialByteMask(word)
                if mask == 0 {
                    pos &+= 8
                    continue
                }
                pos &+= mask.trailingZeroBitCount &>> 3
                break
            }
            guard pos < end else { throw failure(.unexpectedEnd) }
            let b = base[pos]
            if b == UInt8(ascii: "\"") {
                pos &+= 1
                return escapes
            } else if b == UInt8(ascii: "\\") {
                escapes = true
                try scanEscape()
            } else if b < 0x20 {
                throw failure(.controlCharacterInString)
            } else if b >= 0x80 {
                try scanUTF8Sequence()
            } else {
                pos &+= 1
            }
        }
    }

    /// High bit set in each byte lane that is `"`, `\`, below 0x20 or at least 0x80. Only the
    /// lowest flagged lane is exact (borrows can flag lanes above it), which is all we use.
    @inline(__always)
    static func specialByteMask(_ x: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let control = (x &- ones &* 0x20) & ~x
        let q = x ^ (ones &* 0x22)
        let quote = (q &- ones) & ~q
        let s = x ^ (ones &* 0x5C)
        let slash = (s &- ones) & ~s
        return (control | quote | slash | x) & high
    }

    /// RFC 8259 § 7: one escape at `pos` (the backslash). A \u escape of a UTF-16 surrogate
    /// must be a high surrogate followed by a low one: lone surrogates have no UTF-8 form.
    mutating func scanEscape() throws(JSONSyntaxError) {
        let escapeStart = pos
        pos &+= 1
        guard pos < end else { throw failure(.unexpectedEnd) }
        switch base[pos] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
            UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            pos &+= 1
        case UInt8(ascii: "u"):
            pos &+= 1
            let unit = try hex4()
            if unit >= 0xD800 && unit <= 0xDBFF {
                guard pos &+ 1 < end, base[pos] == UInt8(ascii: "\\"), base[pos &+ 1] == UInt8(ascii: "u") else {
                    throw JSONSyntaxError(.loneSurrogate, at: escapeStart)
                }
                pos &+= 2
                let low = try hex4()
                guard low >= 0xDC00 && low <= 0xDFFF else { throw JSONSyntaxError(.loneSurrogate, at: escapeStart) }
            } else if unit >= 0xDC00 && unit <= 0xDFFF {
                throw JSONSyntaxError(.loneSurrogate, at: escapeStart)
            }
        default:
            throw JSONSyntaxError(.invalidEscape, at: escapeStart)
        }
    }

    /// Four hex digits at `pos`.
    @inline(__always)
    mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard pos &+ 4 <= end else { throw JSONSyntaxError(.invalidEscape, at: pos) }
        var value: UInt32 = 0
        for i in 0..<4 {
            guard let digit = JSONCursor.hexValue(base[pos &+ i]) else {
                throw JSONSyntaxError(.invalidEscape, at: pos &+ i)
            }
            value = value &<< 4 | digit
        }
        pos &+= 4
        return value
    }

    @inline(__always)
    static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b &- UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b &- UInt8(ascii: "a") &+ 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b &- UInt8(ascii: "A") &+ 10)
        default: return nil
        }
    }

    /// RFC 3629 § 4 well-formed sequences: no overlongs, no encoded surrogates, nothing above U+10FFFF.
    @inline(__always)
    mutating func scanUTF8Sequence() throws(JSONSyntaxError) {
        guard let length = UTF8Validation.sequenceLength(base + pos, available: end &- pos) else {
            throw failure(.invalidUTF8)
        }
        pos &+= length
    }

    // MARK: numbers

    /// RFC 8259 § 6: number = [ minus ] int [ frac ] [ exp ]; int = zero / ( digit1-9 *DIGIT ).
    /// Fills `slot` with the sign, up to 19 significant decimal digits as `mantissa`, and the
    /// decimal exponent that applies to them.
    @inline(__always)
    mutating func scanNumber(into slot: inout JSONFieldSlot) throws(JSONSyntaxError) {
        let start = pos
        var negative = false
        if base[pos] == UInt8(ascii: "-") {
            negative = true
            pos &+= 1
        }
        guard pos < end else { throw failure(.invalidNumber) }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var truncated = false
        let first = base[pos]
        if first == UInt8(ascii: "0") {
            pos &+= 1
            if pos < end, JSONCursor.isDigit(base[pos]) { throw JSONSyntaxError(.leadingZero, at: pos &- 1) }
        } else if first >= UInt8(ascii: "1") && first <= UInt8(ascii: "9") {
            while pos < end {
                let d = base[pos] &- UInt8(ascii: "0")
                guard d < 10 else { break }
                if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    significant &+= 1
                } else {
                    truncated = true
                    exponent &+= 1
                }
                pos &+= 1
            }
        } else {
            throw failure(.invalidNumber)
        }
        var integral = true
        if pos < end && base[pos] == UInt8(ascii: ".") {
            integral = false
            pos &+= 1
            guard pos < end, JSONCursor.isDigit(base[pos]) else { throw failure(.invalidNumber) }
            while pos < end {
                let d = base[pos] &- UInt8(ascii: "0")
                guard d < 10 else { break }
                if mantissa == 0 && d == 0 {
                    exponent &-= 1
                } else if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    significant &+= 1
                    exponent &-= 1
                } else {
                    truncated = true
                }
                pos &+= 1
            }
        }
        if pos < end && (base[pos] | 0x20) == UInt8(ascii: "e") {
            integral = false
            pos &+= 1
            guard pos < end else { throw failure(.invalidNumber) }
            var expNegative = false
            if base[pos] == UInt8(ascii: "+") || base[pos] == UInt8(ascii: "-") {
                expNegative = base[pos] == UInt8(ascii: "-")
                pos &+= 1
            }
            guard pos < end, JSONCursor.isDigit(base[pos]) else { throw failure(.invalidNumber) }
            var value = 0
            while pos < end {
                let d = base[pos] &- UInt8(ascii: "0")
                guard d < 10 else { break }
                if value < 1_000_000 { value = value &* 10 &+ Int(d) }
                pos &+= 1
            }
            exponent = expNegative ? exponent &- value : exponent &+ value
        }
        slot.kind = .number
        slot.start = start
        slot.end = pos
        slot.negative = negative
        slot.isIntegral = integral
        slot.mantissaTruncated = truncated
        slot.mantissa = mantissa
        slot.exponent = Int32(clamping: exponent)
    }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    // MARK: literals and containers

    /// `true`, `false` or `null` at `pos`.
    mutating func scanLiteral() throws(JSONSyntaxError) -> JSONValueKind {
        let word: StaticString
        let kind: JSONValueKind
        switch base[pos] {
        case UInt8(ascii: "t"): word = "true"; kind = .boolean
        case UInt8(ascii: "f"): word = "false"; kind = .boolean
        default: word = "null"; kind = .null
        }
        let count = word.utf8CodeUnitCount
        guard pos &+ count <= end else { throw failure(.unexpectedEnd) }
        let expected = word.utf8Start
        for i in 0..<count where base[pos &+ i] != expected[i] {
            throw JSONSyntaxError(.unexpectedByte(base[pos &+ i]), at: pos &+ i)
        }
        pos &+= count
        return kind
    }

    /// Validates any value at `pos` and steps over it; `depth` is the nesting level of the value.
    mutating func skipValue(depth: Int) throws(JSONSyntaxError) -> JSONValueKind {
        let b = try peek()
        switch b {
        case UInt8(ascii: "\""):
            pos &+= 1
            _ = try scanStringBody()
            return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            var scratch = JSONFieldSlot()
            try scanNumber(into: &scratch)
            return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            return try scanLiteral()
        case UInt8(ascii: "{"):
            guard depth <= JSONRecordScanner.maxDepth else {
                throw failure(.nestingTooDeep(limit: JSONRecordScanner.maxDepth))
            }
            pos &+= 1
            skipWhitespace()
            if try peek() == UInt8(ascii: "}") {
                pos &+= 1
                return .object
            }
            while true {
                guard try peek() == UInt8(ascii: "\"") else { throw failure(.expectedKey) }
                pos &+= 1
                _ = try scanStringBody()
                skipWhitespace()
                guard try peek() == UInt8(ascii: ":") else { throw failure(.expectedColon) }
                pos &+= 1
                skipWhitespace()
                _ = try skipValue(depth: depth &+ 1)
                skipWhitespace()
                let c = try peek()
                pos &+= 1
                if c == UInt8(ascii: "}") { return .object }
                guard c == UInt8(ascii: ",") else {
                    pos &-= 1
                    throw failure(.expectedCommaOrEnd)
                }
                skipWhitespace()
            }
        case UInt8(ascii: "["):
            guard depth <= JSONRecordScanner.maxDepth else {
                throw failure(.nestingTooDeep(limit: JSONRecordScanner.maxDepth))
            }
            pos &+= 1
            skipWhitespace()
            if try peek() == UInt8(ascii: "]") {
                pos &+= 1
                return .array
            }
            while true {
                _ = try skipValue(depth: depth &+ 1)
                skipWhitespace()
                let c = try peek()
                pos &+= 1
                if c == UInt8(ascii: "]") { return .array }
                guard c == UInt8(ascii: ",") else {
                    pos &-= 1
                    throw failure(.expectedCommaOrEnd)
                }
                skipWhitespace()
            }
        default:
            throw failure(.expectedValue)
        }
    }
}
