/// Decodes PLAIN-encoded values (Encodings.md § Plain) from a page body, appending to dense value arrays.
enum PlainDecoder {
    /// Decodes `count` values of `type` from `input` into `values`; returns the bytes consumed.
    static func decode(
        _ input: UnsafeRawBufferPointer, count: Int, into values: inout ColumnValues
    ) throws -> Int {
        guard count >= 0 else { throw ParquetError.corruptPage("negative value count \(count)") }
        switch values {
        case .boolean(var v):
            values = .boolean([])
            defer { values = .boolean(v) }
            let needed = (count + 7) / 8
            guard needed <= input.count else { throw truncated(count, "boolean") }
            v.reserveCapacity(v.count + count)
            for i in 0..<count { v.append(input[i >> 3] & (1 << UInt8(i & 7)) != 0) }
            return needed
        case .int32(var v):
            values = .int32([])
            defer { values = .int32(v) }
            return try decodeFixedWidth(input, count: count, into: &v)
        case .int64(var v):
            values = .int64([])
            defer { values = .int64(v) }
            return try decodeFixedWidth(input, count: count, into: &v)
        case .double(var v):
            values = .double([])
            defer { values = .double(v) }
            return try decodeFixedWidth(input, count: count, into: &v)
        case .byteArray(var column):
            values = .byteArray(ByteArrayColumn())
            defer { values = .byteArray(column) }
            return try decodeByteArrays(input, count: count, into: &column)
        }
    }

    static func decodeFixedWidth<T: BitwiseCopyable>(
        _ input: UnsafeRawBufferPointer, count: Int, into values: inout [T]
    ) throws -> Int {
        let size = count * MemoryLayout<T>.stride
        guard size <= input.count else { throw truncated(count, "\(T.self)") }
        guard count > 0 else { return 0 }
        // The page buffer has no alignment guarantee: copy bytes into a typed buffer, then append.
        let chunk = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: input.baseAddress!, byteCount: size)
            initialized = count
        }
        values.append(contentsOf: chunk)
        return size
    }

    static func decodeByteArrays(_ input: UnsafeRawBufferPointer, count: Int, into column: inout ByteArrayColumn) throws
        -> Int
    {
        var p = 0
        // Each value takes at least its 4-byte length: a count the input cannot hold must not reserve gigabytes.
        column.offsets.reserveCapacity(column.offsets.count + min(count, input.count / 4))
        for _ in 0..<count {
            guard p + 4 <= input.count else { throw truncated(count, "byte array length") }
            let length = Int(UInt32(littleEndian: input.loadUnaligned(fromByteOffset: p, as: UInt32.self)))
            p += 4
            guard length <= input.count - p else { throw truncated(count, "byte array value") }
            column.data.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[p..<p + length]))
            column.offsets.append(Int32(truncatingIfNeeded: column.data.count))
            p += length
        }
        return p
    }

    private static func truncated(_ count: Int, _ what: String) -> ParquetError {
        .corruptPage("PLAIN data too short for \(count) values (\(what))")
    }
}
