#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Computes min/max over a range of dense values by the column's sort order (Parquet ColumnOrder
/// TYPE_ORDER): signed for ints, IEEE for doubles with NaN ignored and zeros widened (-0.0 min, +0.0 max),
/// false < true, unsigned bytewise for byte arrays.
enum ColumnStatisticsCollector {
    /// Min and max of `values[range]`; nil when the range is empty (or all NaN).
    static func minMax(_ values: ColumnValues, _ range: Range<Int>) -> (min: StatValue, max: StatValue)? {
        guard !range.isEmpty else { return nil }
        switch values {
        case .boolean(let v):
            var sawFalse = false
            var sawTrue = false
            for i in range {
                if v[i] { sawTrue = true } else { sawFalse = true }
                if sawTrue && sawFalse { break }
            }
            return (.boolean(!sawFalse), .boolean(sawTrue))
        case .int32(let v):
            return v.withUnsafeBufferPointer { b in
                var lo = b[range.lowerBound]
                var hi = lo
                for i in range {
                    let x = b[i]
                    lo = Swift.min(lo, x)
                    hi = Swift.max(hi, x)
                }
                return (.int32(lo), .int32(hi))
            }
        case .int64(let v):
            return v.withUnsafeBufferPointer { b in
                var lo = b[range.lowerBound]
                var hi = lo
                for i in range {
                    let x = b[i]
                    lo = Swift.min(lo, x)
                    hi = Swift.max(hi, x)
                }
                return (.int64(lo), .int64(hi))
            }
        case .double(let v):
            return v.withUnsafeBufferPointer { b -> (StatValue, StatValue)? in
                var lo = Double.infinity
                var hi = -Double.infinity
                var any = false
                for i in range {
                    let x = b[i]
                    if x.isNaN { continue }
                    any = true
                    if x < lo { lo = x }
                    if x > hi { hi = x }
                }
                guard any else { return nil }
                // parquet.thrift ColumnOrder: a zero min is written as -0.0 and a zero max as +0.0.
                if lo == 0 { lo = -0.0 }
                if hi == 0 { hi = 0.0 }
                return (.double(lo), .double(hi))
            }
        case .byteArray(let column):
            return column.data.withUnsafeBytes { data in
                column.offsets.withUnsafeBufferPointer { offsets in
                    let base = data.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
                    var minIndex = range.lowerBound
                    var maxIndex = range.lowerBound
                    for i in range.dropFirst() {
                        if compare(base, offsets, i, minIndex) < 0 { minIndex = i }
                        if compare(base, offsets, i, maxIndex) > 0 { maxIndex = i }
                    }
                    return (.bytes(Array(column.bytes(at: minIndex))), .bytes(Array(column.bytes(at: maxIndex))))
                }
            }
        }
    }

    /// Unsigned bytewise comparison of values `a` and `b` of a byte-array column (shorter prefix first).
    @inline(__always)
    private static func compare(
        _ base: UnsafeRawPointer, _ offsets: UnsafeBufferPointer<Int32>, _ a: Int, _ b: Int
    ) -> Int {
        let aStart = Int(offsets[a])
        let aLength = Int(offsets[a + 1]) - aStart
        let bStart = Int(offsets[b])
        let bLength = Int(offsets[b + 1]) - bStart
        let common = Swift.min(aLength, bLength)
        if common > 0 {
            let c = memcmp(base + aStart, base + bStart, common)
            if c != 0 { return Int(c) }
        }
        return aLength - bLength
    }
}
