/// Byte layout of Gold window state files: fixed-width little-endian integers, Doubles by
/// their IEEE bit patterns (so restored sums are bit-identical), strings length-prefixed.
public struct WindowStateWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    /// An empty state file.
    public init() {}

    /// Appends one byte.
    public mutating func write(_ value: UInt8) { bytes.append(value) }

    /// Appends an integer, little-endian.
    public mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends a Double's IEEE bit pattern.
    public mutating func write(_ value: Double) { write(value.bitPattern) }

    /// Appends a UInt32 byte count and the UTF-8 bytes.
    public mutating func write(_ value: String) {
        let utf8 = Array(value.utf8)
        write(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }
}

/// Reads what `WindowStateWriter` wrote; every read checks bounds and throws on truncation.
public struct WindowStateReader: Sendable {
    let bytes: [UInt8]
    public private(set) var position = 0

    /// Reads from the start of `bytes`.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Every byte has been read.
    public var isAtEnd: Bool { position == bytes.count }

    /// Bytes not read yet.
    public var remaining: Int { bytes.count - position }

    /// Reads a little-endian integer.
    public mutating func read<T: FixedWidthInteger>(_: T.Type = T.self) throws(PipelineError) -> T {
        let size = MemoryLayout<T>.size
        guard position + size <= bytes.count else {
            throw PipelineError(.corruptWindowState, "window state truncated at byte \(position) of \(bytes.count)")
        }
        var value: T = 0
        for i in 0..<size { value |= T(truncatingIfNeeded: bytes[position + i]) << (8 * i) }
        position += size
        return value
    }

    /// Reads a Double from its bit pattern.
    public mutating func readDouble() throws(PipelineError) -> Double {
        Double(bitPattern: try read(UInt64.self))
    }

    /// Reads a length-prefixed UTF-8 string.
    public mutating func readString() throws(PipelineError) -> String {
        let count = Int(try read(UInt32.self))
        guard position + count <= bytes.count else {
            throw PipelineError(
                .corruptWindowState, "string of \(count) bytes overruns window state at byte \(position)")
        }
        let text = bytes[position..<(position + count)].withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
        position += count
        return text
    }
}
