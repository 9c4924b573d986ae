#if !_endian(little)
    #error("PLAIN encoding here copies values as stored in memory; a big-endian host needs byte swapping")
#endif

/// PLAIN encoding (Encodings.md § Plain): little-endian fixed-width values, bit-packed booleans,
/// 4-byte-length-prefixed byte arrays. Encodes a range of a column straight into the page buffer.
enum PlainEncoder {
    /// Bytes the PLAIN encoding of `values[range]` takes.
    static func encodedSize(_ values: ColumnValues, _ range: Range<Int>) -> Int {
        switch values {
        case .boolean: (range.count + 7) / 8
        case .int32: range.count * 4
        case .int64, .double: range.count * 8
        case .byteArray(let column):
            range.count * 4 + Int(column.offsets[range.upperBound] - column.offsets[range.lowerBound])
        }
    }

    /// Appends the PLAIN encoding of `values[range]` to `out`.
    static func encode(_ values: ColumnValues, _ range: Range<Int>, into out: inout [UInt8]) {
        switch values {
        case .boolean(let v): encodeBooleans(v, range, into: &out)
        case .int32(let v): encodeFixedWidth(v, range, into: &out)
        case .int64(let v): encodeFixedWidth(v, range, into: &out)
        case .double(let v): encodeFixedWidth(v, range, into: &out)
        case .byteArray(let v): encodeByteArrays(v, range, into: &out)
        }
    }

    static func encodeBooleans(_ values: [Bool], _ range: Range<Int>, into out: inout [UInt8]) {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: (range.count + 7) / 8))
        out.withUnsafeMutableBufferPointer { dst in
            values.withUnsafeBufferPointer { src in
                var i = 0
                for index in range {
                    if src[index] { dst[start + i >> 3] |= 1 << UInt8(i & 7) }
                    i += 1
                }
            }
        }
    }

    static func encodeFixedWidth<T>(_ values: [T], _ range: Range<Int>, into out: inout [UInt8]) {
        values.withUnsafeBytes { raw in
            let stride = MemoryLayout<T>.stride
            out.append(
                contentsOf: UnsafeRawBufferPointer(rebasing: raw[range.lowerBound * stride..<range.upperBound * stride])
            )
        }
    }

    static func encodeByteArrays(_ column: ByteArrayColumn, _ range: Range<Int>, into out: inout [UInt8]) {
        let size = encodedSize(.byteArray(column), range)
        // Fill an uninitialised buffer (no zeroing pass), then append it with one memcpy.
        let encoded = [UInt8](unsafeUninitializedCapacity: size) { dst, initialized in
            column.data.withUnsafeBytes { data in
                column.offsets.withUnsafeBufferPointer { offsets in
                    let target = UnsafeMutableRawBufferPointer(dst)
                    var p = 0
                    for i in range {
                        let from = Int(offsets[i])
                        let length = Int(offsets[i + 1]) - from
                        target.storeBytes(of: UInt32(length).littleEndian, toByteOffset: p, as: UInt32.self)
                        p += 4
                        if length > 0 {
                            (target.baseAddress! + p).copyMemory(from: data.baseAddress! + from, byteCount: length)
                        }
                        p += length
                    }
                }
            }
            initialized = size
        }
        out.append(contentsOf: encoded)
    }
}
