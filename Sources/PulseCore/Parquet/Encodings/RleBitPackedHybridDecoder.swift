/// Decodes Parquet's RLE/bit-packed hybrid (Encodings.md § RLE) into a caller-owned array:
/// definition/repetition levels and dictionary indices.
enum RleBitPackedHybridDecoder {
    /// Decodes `count` values of `bitWidth` bits from `input`, appending them to `output`.
    /// Returns the number of input bytes consumed; throws when the input ends early or is malformed.
    static func decode<T: FixedWidthInteger>(
        _ input: UnsafeRawBufferPointer, bitWidth: Int, count: Int, into output: inout [T]
    ) throws -> Int {
        guard bitWidth >= 0 && bitWidth <= 32 else {
            throw ParquetError.corruptPage("RLE bit width \(bitWidth) out of range")
        }
        output.reserveCapacity(output.count + min(count, 1 << 20))  // a corrupt count must not allocate gigabytes
        var position = 0
        var remaining = count
        let mask: UInt64 = bitWidth == 64 ? ~0 : (1 << UInt64(bitWidth)) - 1
        let valueBytes = (bitWidth + 7) / 8
        while remaining > 0 {
            // Run header (ULEB128).
            var header: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard position < input.count else {
                    throw ParquetError.corruptPage("RLE data ends with \(remaining) of \(count) values missing")
                }
                let byte = input[position]
                position += 1
                header |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { break }
                shift += 7
                if shift > 35 { throw ParquetError.corruptPage("RLE run header too long") }
            }
            if header & 1 == 0 {
                let runLength = Int(header >> 1)
                guard position + valueBytes <= input.count else {
                    throw ParquetError.corruptPage("RLE run value truncated")
                }
                var value: UInt64 = 0
                for i in 0..<valueBytes { value |= UInt64(input[position + i]) << UInt64(8 * i) }
                position += valueBytes
                let take = min(runLength, remaining)
                output.append(contentsOf: repeatElement(T(truncatingIfNeeded: value), count: take))
                remaining -= take
            } else {
                let groups = Int(header >> 1)
                let runValues = groups * 8
                let runBytes = groups * bitWidth
                let take = min(runValues, remaining)
                let neededBytes = (take * bitWidth + 7) / 8
                guard position + neededBytes <= input.count else {
                    throw ParquetError.corruptPage("bit-packed run truncated")
                }
                if bitWidth == 0 {
                    output.append(contentsOf: repeatElement(0, count: take))
                } else {
                    var accumulator: UInt64 = 0
                    var bits = 0
                    var p = position
                    for _ in 0..<take {
                        while bits < bitWidth {
                            accumulator |= UInt64(input[p]) << UInt64(bits)
                            p += 1
                            bits += 8
                        }
                        output.append(T(truncatingIfNeeded: accumulator & mask))
                        accumulator >>= UInt64(bitWidth)
                        bits -= bitWidth
                    }
                }
                remaining -= take
                position = min(position + runBytes, input.count)
            }
        }
        return position
    }
}
