/// Variable-length values stored contiguously (Arrow-style): value i is data[offsets[i]..<offsets[i+1]].
/// One allocation for all bytes and one for the offsets, so building a column allocates nothing per value.
/// Offsets are Int32 (as Parquet's and Arrow's): a column holds under 2 GiB, which the engine's batches
/// keep by construction (`TopicReader.maxBatchBytes`); past it `append` traps rather than wrap.
public struct ByteArrayColumn: Sendable, Equatable {
    public var data: [UInt8]
    /// `offsets.count == count + 1`; `offsets[0] == 0`.
    public var offsets: [Int32]

    /// An empty column.
    public init() {
        data = []
        offsets = [0]
    }

    /// An empty column with room for `reservingValues` values and `bytes` bytes of data.
    public init(reservingValues: Int, bytes: Int) {
        data = []
        data.reserveCapacity(bytes)
        offsets = [0]
        offsets.reserveCapacity(reservingValues + 1)
    }

    /// Wraps existing contiguous storage; `offsets` must start at 0, be non-decreasing and end at `data.count`.
    public init(data: [UInt8], offsets: [Int32]) {
        self.data = data
        self.offsets = offsets
    }

    /// Number of values.
    public var count: Int { offsets.count - 1 }

    /// Total bytes of all values (without length prefixes).
    public var byteCount: Int { Int(offsets[offsets.count - 1]) }

    /// Appends one value copied from raw bytes.
    @inlinable
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        data.append(contentsOf: bytes)
        offsets.append(Int32(data.count))
    }

    /// Appends one value from a byte collection.
    @inlinable
    public mutating func append<C: Collection>(bytes: C) where C.Element == UInt8 {
        data.append(contentsOf: bytes)
        offsets.append(Int32(data.count))
    }

    /// Appends the UTF-8 bytes of a string.
    @inlinable
    public mutating func append(_ string: String) {
        var string = string
        string.withUTF8 { data.append(contentsOf: $0) }
        offsets.append(Int32(data.count))
    }

    /// The bytes of value `i`.
    @inlinable
    public func bytes(at i: Int) -> ArraySlice<UInt8> {
        data[Int(offsets[i])..<Int(offsets[i + 1])]
    }

    /// Value `i` decoded as UTF-8 (invalid sequences repaired): tests, reasons, display; not the hot path.
    public func string(at i: Int) -> String {
        String(decoding: bytes(at: i), as: UTF8.self)
    }

    /// Value `i` as text (`string(at:)`).
    public subscript(i: Int) -> String { string(at: i) }

    /// Room for `rows` more values of about `bytesPerRow` bytes each.
    public mutating func reserveCapacity(rows: Int, bytesPerRow: Int) {
        offsets.reserveCapacity(offsets.count + rows)
        data.reserveCapacity(data.count + rows * bytesPerRow)
    }

    /// Empties the column, keeping its memory for the next batch.
    public mutating func removeAll() {
        data.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        offsets.append(0)
    }

    /// Appends every value of `other` after this column's.
    public mutating func append(contentsOf other: ByteArrayColumn) {
        let base = Int32(data.count)
        data.append(contentsOf: other.data)
        offsets.append(contentsOf: other.offsets.dropFirst().lazy.map { $0 + base })
    }

    /// Bytes of value `i`, without a copy.
    public func withBytes<R>(ofRow i: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let start = Int(offsets[i])
        let end = Int(offsets[i + 1])
        return try data.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }
}

extension ByteArrayColumn {
    /// Appends a validated JSON string body (`base[start..<end]`), decoding escapes if it has any.
    @inline(__always)
    mutating func appendJSONString(_ base: UnsafePointer<UInt8>, _ slot: JSONFieldSlot) {
        if slot.hasEscapes {
            JSONRecordScanner.decodeString(base, from: slot.start, to: slot.end, into: &data)
        } else {
            data.append(contentsOf: UnsafeBufferPointer(start: base + slot.start, count: slot.end - slot.start))
        }
        offsets.append(Int32(data.count))
    }
}
