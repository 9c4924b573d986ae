extension JSONFieldSlot {
    /// The number as an integer when it was written as one (no fraction, no exponent) and fits
    /// Int32; `nil` when it does not fit. Callers check `isIntegral` first to tell the two apart.
    @inline(__always)
    var int32Value: Int32? {
        guard isIntegral, !mantissaTruncated, mantissa <= 0x8000_0000 else { return nil }
        if negative { return Int32(truncatingIfNeeded: 0 &- Int64(mantissa)) }
        guard mantissa <= 0x7FFF_FFFF else { return nil }
        return Int32(truncatingIfNeeded: mantissa)
    }

    /// The number as the nearest Double (IEEE round-to-nearest, as `Double(String)`): exact
    /// fast path when mantissa and power of ten are both exact doubles (Clinger), otherwise the
    /// standard library's correctly rounded, locale-independent parser. Infinite when out of range.
    @inline(__always)
    func doubleValue(in base: UnsafePointer<UInt8>) -> Double {
        if !mantissaTruncated && mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
            var value = Double(mantissa)
            if exponent < 0 {
                value /= JSONFieldSlot.exactPowersOfTen[Int(-exponent)]
            } else {
                value *= JSONFieldSlot.exactPowersOfTen[Int(exponent)]
            }
            return negative ? -value : value
        }
        return slowDoubleValue(in: base)
    }

    func slowDoubleValue(in base: UnsafePointer<UInt8>) -> Double {
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
        return Double(text) ?? .nan
    }

    /// 1e0 ... 1e22, every one exactly representable as a Double.
    static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}
