/// A column of UTF-8 strings laid out as Parquet and Arrow want them: every value's bytes back
/// to back in `data`, and `offsets[i]..<offsets[i + 1]` the bytes of row i (`offsets` starts [0]).
public struct StringColumn: Sendable, Equatable {
    public private(set) var data: [UInt8] = []
    public private(set) var offsets: [Int32] = [0]

    /// An empty column.
    public init() {}

    /// Number of rows.
    public var count: Int { offsets.count - 1 }

    /// Room for `rows` more rows of about `bytesPerRow` bytes each.
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

    /// Appends one value given as raw UTF-8 bytes.
    @inline(__always)
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        data.append(contentsOf: bytes)
        offsets.append(Int32(truncatingIfNeeded: data.count))
    }

    /// Appends every value of `other` after this column's.
    public mutating func append(contentsOf other: StringColumn) {
        let base = Int32(truncatingIfNeeded: data.count)
        data.append(contentsOf: other.data)
        offsets.append(contentsOf: other.offsets.dropFirst().lazy.map { $0 &+ base })
    }

    /// Appends one value from a String (tests, set-up).
    public mutating func append(_ string: String) {
        data.append(contentsOf: Array(string.utf8))
        offsets.append(Int32(truncatingIfNeeded: data.count))
    }

    /// Appends a validated JSON string body (`base[start..<end]`), decoding escapes if it has any.
    @inline(__always)
    mutating func appendJSONString(_ base: UnsafePointer<UInt8>, _ slot: JSONFieldSlot) {
        if slot.hasEscapes {
            JSONRecordScanner.decodeString(base, from: slot.start, to: slot.end, into: &data)
        } else {
            data.append(contentsOf: UnsafeBufferPointer(start: base + slot.start, count: slot.end - slot.start))
        }
        offsets.append(Int32(truncatingIfNeeded: data.count))
    }

    /// Row `row` as a String (tests, reasons, inspection; not the hot path).
    public subscript(row: Int) -> String {
        let start = Int(offsets[row])
        let end = Int(offsets[row + 1])
        return data[start..<end].withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }

    /// Bytes of row `row`.
    public func withBytes<R>(ofRow row: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let start = Int(offsets[row])
        let end = Int(offsets[row + 1])
        return try data.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }
}
