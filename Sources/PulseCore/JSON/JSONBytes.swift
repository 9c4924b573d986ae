/// Byte-level JSON writing for the producers' payloads, matching Python's `json.dumps` defaults
/// (", " and ": " separators, ASCII output) without Foundation or per-value allocation.
public enum JSONBytes {
    /// Appends a literal (a key fragment such as `{"station_id": "`) verbatim.
    @inlinable
    public static func appendLiteral(_ literal: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Appends a decimal integer.
    @inlinable
    public static func appendInt(_ value: Int, to out: inout [UInt8]) {
        if value >= 0 && value < 10 {
            out.append(UInt8(truncatingIfNeeded: 48 + value))
            return
        }
        var v = value.magnitude
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var scratch:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &scratch) { buf in
            var i = buf.count
            repeat {
                i -= 1
                buf[i] = UInt8(truncatingIfNeeded: 48 + v % 10)
                v /= 10
            } while v > 0
            out.append(contentsOf: buf[i...])
        }
    }

    /// Appends a double rounded to one decimal place, written as Python writes
    /// `repr(round(x, 1))`: "12.0", "3.5", "-0.4", "0.0".
    ///
    /// For values already on the 0.1 grid (all that the producers emit) this is exactly Python's
    /// output; halfway cases of arbitrary doubles round half away from zero on x * 10.
    @inlinable
    public static func appendOneDecimal(_ value: Double, to out: inout [UInt8]) {
        guard value.isFinite else {
            // What Python's json.dumps writes (not JSON: a consumer must reject it).
            if value.isNaN {
                appendLiteral("NaN", to: &out)
            } else {
                appendLiteral(value < 0 ? "-Infinity" : "Infinity", to: &out)
            }
            return
        }
        guard abs(value) < 1e15 else {
            out.append(contentsOf: "\(value)".utf8)
            return
        }
        let tenths = Int((value * 10).rounded(.toNearestOrAwayFromZero))
        if tenths < 0 { out.append(UInt8(ascii: "-")) }
        let m = tenths.magnitude
        appendInt(Int(m / 10), to: &out)
        out.append(UInt8(ascii: "."))
        out.append(UInt8(truncatingIfNeeded: 48 + m % 10))
    }

    /// Appends a JSON string (with quotes), escaping as Python's `ensure_ascii=True` does.
    @inlinable
    public static func appendString(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var plain = true
        for b in value.utf8 where b < 0x20 || b == 0x22 || b == 0x5C || b >= 0x80 {
            plain = false
            break
        }
        if plain {
            out.append(contentsOf: value.utf8)
        } else {
            appendEscaped(value, to: &out)
        }
        out.append(UInt8(ascii: "\""))
    }

    @usableFromInline
    static func appendEscaped(_ value: String, to out: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        func unicodeEscape(_ unit: UInt16) {
            out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u")])
            for shift in stride(from: 12, through: 0, by: -4) {
                out.append(hex[Int((unit >> UInt16(shift)) & 0xF)])
            }
        }
        for unit in value.utf16 {
            switch unit {
            case 0x22: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case 0x5C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x20..<0x80: out.append(UInt8(truncatingIfNeeded: unit))
            default: unicodeEscape(unit)
            }
        }
    }
}
