#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A column chunk's values split into distinct entries (first-seen order) and per-value indices,
/// the input of a PLAIN dictionary page plus RLE_DICTIONARY data pages.
struct DictionaryEncoding {
    var dictionary: ColumnValues
    var indices: [UInt32]
    /// Bits per index in the data pages (at least 1).
    var bitWidth: Int
    var plainDictionaryBytes: Int

    /// Estimated encoded size: dictionary page plus bit-packed indices.
    var estimatedEncodedBytes: Int { plainDictionaryBytes + (indices.count * bitWidth + 7) / 8 }
}

/// Builds dictionaries with open-addressing hash tables over the column's own storage (no per-value
/// allocation), and gives up as soon as the dictionary passes the byte or entry limit.
enum DictionaryEncoder {
    /// Dictionary-encodes `values[range]`, or returns nil when the type is not dictionary-encoded here,
    /// the limits are exceeded, or the dictionary would not be smaller than PLAIN.
    static func encode(_ values: ColumnValues, _ range: Range<Int>, maxBytes: Int, maxEntries: Int)
        -> DictionaryEncoding?
    {
        guard !range.isEmpty else { return nil }
        let result: DictionaryEncoding?
        switch values {
        case .byteArray(let column):
            result = encodeByteArrays(column, range, maxBytes: maxBytes, maxEntries: maxEntries)
        case .int32(let v):
            result = encodeFixedWidth(v, range, maxBytes: maxBytes, maxEntries: maxEntries).map {
                DictionaryEncoding(
                    dictionary: .int32($0.entries), indices: $0.indices, bitWidth: $0.bitWidth,
                    plainDictionaryBytes: $0.entries.count * 4)
            }
        case .int64(let v):
            result = encodeFixedWidth(v, range, maxBytes: maxBytes, maxEntries: maxEntries).map {
                DictionaryEncoding(
                    dictionary: .int64($0.entries), indices: $0.indices, bitWidth: $0.bitWidth,
                    plainDictionaryBytes: $0.entries.count * 8)
            }
        case .boolean, .double:
            result = nil
        }
        guard let result, result.estimatedEncodedBytes < PlainEncoder.encodedSize(values, range) else { return nil }
        return result
    }

    /// Values a dictionary is tried on before it is judged: when nearly every one of them is new (ids,
    /// offsets, timestamps, raw JSON), the chunk is written PLAIN at once instead of after hashing values
    /// up to the dictionary's limits, a third of Bronze's encoding time.
    static let probeValues = 4096

    /// Whether the chunk is to be given up at `position`: its first `probeValues` values (a chunk of at
    /// least twice that) gave more than 7/8 distinct entries, so the dictionary will not shrink it.
    @inline(__always)
    private static func nearlyAllDistinct(entries: Int, at position: Int, of count: Int) -> Bool {
        position == probeValues && count >= 2 * probeValues && entries * 8 > probeValues * 7
    }

    private static func indexBitWidth(entries: Int) -> Int {
        max(1, RleBitPackedHybridEncoder.bitWidth(forMaxValue: UInt64(max(entries - 1, 0))))
    }

    @inline(__always)
    private static func mix(_ x: UInt64) -> UInt64 {
        var h = x
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h = h &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return h
    }

    @inline(__always)
    private static func hashBytes(_ base: UnsafeRawPointer, _ count: Int) -> UInt64 {
        var h: UInt64 = 0x9e37_79b9_7f4a_7c15 ^ UInt64(count)
        var i = 0
        while i + 8 <= count {
            h = (h ^ base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x1000_0000_01b3
            h = (h << 31) | (h >> 33)
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < count {
            tail |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << shift
            shift += 8
            i += 1
        }
        return mix(h ^ tail)
    }

    private static func encodeByteArrays(
        _ column: ByteArrayColumn, _ range: Range<Int>, maxBytes: Int, maxEntries: Int
    ) -> DictionaryEncoding? {
        var dictionary = ByteArrayColumn(reservingValues: 1024, bytes: 64 << 10)
        var entryHashes: [UInt64] = []
        var indices = [UInt32](repeating: 0, count: range.count)
        var capacity = 1024
        var slots = [Int32](repeating: -1, count: capacity)
        var dictionaryBytes = 0
        let ok: Bool = column.data.withUnsafeBytes { data -> Bool in
            let base = data.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
            return column.offsets.withUnsafeBufferPointer { offsets -> Bool in
                for (position, i) in range.enumerated() {
                    if nearlyAllDistinct(entries: dictionary.count, at: position, of: range.count) { return false }
                    let start = Int(offsets[i])
                    let length = Int(offsets[i + 1]) - start
                    let hash = hashBytes(base + start, length)
                    var slot = Int(truncatingIfNeeded: hash) & (capacity - 1)
                    while true {
                        let entry = Int(slots[slot])
                        if entry < 0 { break }
                        if entryHashes[entry] == hash {
                            let eStart = Int(dictionary.offsets[entry])
                            let eLength = Int(dictionary.offsets[entry + 1]) - eStart
                            if eLength == length
                                && (length == 0
                                    || dictionary.data.withUnsafeBytes {
                                        memcmp($0.baseAddress! + eStart, base + start, length) == 0
                                    })
                            {
                                indices[position] = UInt32(entry)
                                break
                            }
                        }
                        slot = (slot + 1) & (capacity - 1)
                    }
                    if slots[slot] >= 0 { continue }
                    // New entry.
                    let entry = dictionary.count
                    dictionaryBytes += 4 + length
                    if entry + 1 > maxEntries || dictionaryBytes > maxBytes { return false }
                    dictionary.append(UnsafeRawBufferPointer(start: base + start, count: length))
                    entryHashes.append(hash)
                    slots[slot] = Int32(entry)
                    indices[position] = UInt32(entry)
                    if (entry + 1) * 2 > capacity {
                        capacity *= 2
                        slots = [Int32](repeating: -1, count: capacity)
                        for (e, h) in entryHashes.enumerated() {
                            var s = Int(truncatingIfNeeded: h) & (capacity - 1)
                            while slots[s] >= 0 { s = (s + 1) & (capacity - 1) }
                            slots[s] = Int32(e)
                        }
                    }
                }
                return true
            }
        }
        guard ok else { return nil }
        return DictionaryEncoding(
            dictionary: .byteArray(dictionary), indices: indices, bitWidth: indexBitWidth(entries: dictionary.count),
            plainDictionaryBytes: dictionaryBytes)
    }

    private static func encodeFixedWidth<T: FixedWidthInteger>(
        _ values: [T], _ range: Range<Int>, maxBytes: Int, maxEntries: Int
    ) -> (entries: [T], indices: [UInt32], bitWidth: Int)? {
        var entries: [T] = []
        var indices = [UInt32](repeating: 0, count: range.count)
        var capacity = 1024
        var slots = [Int32](repeating: -1, count: capacity)
        let limit = min(maxEntries, maxBytes / MemoryLayout<T>.size)
        let ok = values.withUnsafeBufferPointer { src -> Bool in
            for (position, i) in range.enumerated() {
                if nearlyAllDistinct(entries: entries.count, at: position, of: range.count) { return false }
                let value = src[i]
                var slot = Int(truncatingIfNeeded: mix(UInt64(truncatingIfNeeded: value))) & (capacity - 1)
                while true {
                    let entry = Int(slots[slot])
                    if entry < 0 { break }
                    if entries[entry] == value {
                        indices[position] = UInt32(entry)
                        break
                    }
                    slot = (slot + 1) & (capacity - 1)
                }
                if slots[slot] >= 0 { continue }
                let entry = entries.count
                if entry + 1 > limit { return false }
                entries.append(value)
                slots[slot] = Int32(entry)
                indices[position] = UInt32(entry)
                if (entry + 1) * 2 > capacity {
                    capacity *= 2
                    slots = [Int32](repeating: -1, count: capacity)
                    for (e, v) in entries.enumerated() {
                        var s = Int(truncatingIfNeeded: mix(UInt64(truncatingIfNeeded: v))) & (capacity - 1)
                        while slots[s] >= 0 { s = (s + 1) & (capacity - 1) }
                        slots[s] = Int32(e)
                    }
                }
            }
            return true
        }
        guard ok else { return nil }
        return (entries, indices, indexBitWidth(entries: entries.count))
    }
}
