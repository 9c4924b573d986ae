/// Well-formed UTF-8 (RFC 3629 § 4: no overlongs, no encoded surrogates, nothing above U+10FFFF), the
/// only text Delta string columns may hold: DuckDB, polars and delta-rs refuse a whole table over one
/// bad value. Bronze asks it of every key and value it writes.
public enum UTF8Validation {
    /// Whether `bytes` are well-formed UTF-8. ASCII runs are checked eight bytes at a time.
    @inlinable
    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return true }
        let end = bytes.count
        var i = 0
        while i < end {
            while i &+ 8 <= end,
                UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                i &+= 8
            }
            guard i < end else { return true }
            let b0 = base[i]
            if b0 < 0x80 {
                i &+= 1
                continue
            }
            guard let length = sequenceLength(base + i, available: end &- i) else { return false }
            i &+= length
        }
        return true
    }

    /// Length of the well-formed multi-byte sequence at `p` (first byte >= 0x80), or nil.
    @inlinable
    public static func sequenceLength(_ p: UnsafePointer<UInt8>, available: Int) -> Int? {
        let b0 = p[0]
        var trailing = 0
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: trailing = 1
        case 0xE0: trailing = 2; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: trailing = 2
        case 0xED: trailing = 2; high = 0x9F
        case 0xF0: trailing = 3; low = 0x90
        case 0xF1...0xF3: trailing = 3
        case 0xF4: trailing = 3; high = 0x8F
        default: return nil
        }
        guard trailing < available else { return nil }
        guard p[1] >= low && p[1] <= high else { return nil }
        var k = 2
        while k <= trailing {
            guard p[k] >= 0x80 && p[k] <= 0xBF else { return nil }
            k &+= 1
        }
        return trailing &+ 1
    }
}
