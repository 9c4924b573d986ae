/// Encodes unsigned integers of a fixed bit width with Parquet's RLE/bit-packed hybrid (Encodings.md § RLE):
/// runs of 8+ equal values become RLE runs, everything else goes into bit-packed groups of 8.
/// Used for definition/repetition levels and dictionary indices. No per-value allocation.
struct RleBitPackedHybridEncoder {
    let bitWidth: Int
    private(set) var bytes: [UInt8] = []
    private var buffered: [UInt32] = Array(repeating: 0, count: 8)
    private var bufferedCount = 0
    private var previous: UInt32 = 0
    private var repeatCount = 0
    private var bitPackedGroupCount = 0
    /// Index of the reserved header byte of the open bit-packed run, or -1.
    private var bitPackedHeaderIndex = -1

    /// An encoder for values that fit in `bitWidth` bits (0...32).
    init(bitWidth: Int, reservingBytes: Int = 0) {
        precondition(bitWidth >= 0 && bitWidth <= 32, "RLE bit width must be 0...32")
        self.bitWidth = bitWidth
        bytes.reserveCapacity(reservingBytes)
    }

    /// The number of bits needed to store `maxValue`.
    static func bitWidth(forMaxValue maxValue: UInt64) -> Int {
        maxValue == 0 ? 0 : 64 - maxValue.leadingZeroBitCount
    }

    /// Appends one value.
    @inline(__always)
    mutating func put(_ value: UInt32) {
        if value == previous {
            repeatCount += 1
            if repeatCount >= 8 { return }  // inside an RLE run: count only
        } else {
            if repeatCount >= 8 { writeRleRun() }
            repeatCount = 1
            previous = value
        }
        buffered[bufferedCount] = value
        bufferedCount += 1
        if bufferedCount == 8 { writeBitPackedGroup() }
    }

    /// Appends `count` copies of `value` (cheap for long runs, e.g. all-defined levels).
    mutating func put(_ value: UInt32, repeating count: Int) {
        var remaining = count
        while remaining > 0 {
            if repeatCount >= 8 && value == previous {
                repeatCount += remaining
                return
            }
            put(value)
            remaining -= 1
        }
    }

    /// Flushes buffered values and returns the encoded bytes.
    mutating func finish() -> [UInt8] {
        if repeatCount >= 8 {
            writeRleRun()
        } else if bufferedCount > 0 {
            for i in bufferedCount..<8 { buffered[i] = 0 }
            bufferedCount = 8
            writeBitPackedGroup()
        }
        endBitPackedRun()
        repeatCount = 0
        return bytes
    }

    private mutating func writeBitPackedGroup() {
        if bitPackedGroupCount >= 63 { endBitPackedRun() }  // header must fit one byte: (63 << 1) | 1
        if bitPackedHeaderIndex < 0 {
            bitPackedHeaderIndex = bytes.count
            bytes.append(0)
        }
        var accumulator: UInt64 = 0
        var bits = 0
        for i in 0..<8 {
            accumulator |= UInt64(buffered[i]) << UInt64(bits)
            bits += bitWidth
            while bits >= 8 {
                bytes.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator >>= 8
                bits -= 8
            }
        }
        bufferedCount = 0
        repeatCount = 0
        bitPackedGroupCount += 1
    }

    private mutating func endBitPackedRun() {
        guard bitPackedHeaderIndex >= 0 else { return }
        bytes[bitPackedHeaderIndex] = UInt8(bitPackedGroupCount << 1 | 1)
        bitPackedHeaderIndex = -1
        bitPackedGroupCount = 0
    }

    private mutating func writeRleRun() {
        endBitPackedRun()
        var header = UInt64(repeatCount) << 1
        while header >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: header) | 0x80)
            header >>= 7
        }
        bytes.append(UInt8(header))
        var value = previous
        for _ in 0..<(bitWidth + 7) / 8 {
            bytes.append(UInt8(truncatingIfNeeded: value))
            value >>= 8
        }
        repeatCount = 0
        bufferedCount = 0
    }
}
