/// A min or max statistic value in the column's physical type (strings as raw UTF-8 bytes).
public enum StatValue: Sendable, Equatable {
    case boolean(Bool)
    case int32(Int32)
    case int64(Int64)
    case double(Double)
    case bytes([UInt8])
}

/// Per-column statistics: null count and min/max by the column's sort order
/// (signed for ints/doubles, unsigned bytewise for byte arrays); min/max nil when every value is null (or NaN).
public struct ColumnStatistics: Sendable, Equatable {
    public var nullCount: Int64
    public var min: StatValue?
    public var max: StatValue?

    /// Creates statistics.
    public init(nullCount: Int64 = 0, min: StatValue? = nil, max: StatValue? = nil) {
        self.nullCount = nullCount
        self.min = min
        self.max = max
    }

    /// Folds another chunk's statistics into these (sum of nulls, min of mins, max of maxes).
    public mutating func merge(_ other: ColumnStatistics) {
        nullCount += other.nullCount
        if let otherMin = other.min {
            if let current = min {
                min = StatValue.isLess(otherMin, current) ? otherMin : current
            } else {
                min = otherMin
            }
        }
        if let otherMax = other.max {
            if let current = max {
                max = StatValue.isLess(current, otherMax) ? otherMax : current
            } else {
                max = otherMax
            }
        }
    }
}

extension StatValue {
    /// Column-order comparison: signed for numbers, false < true, unsigned bytewise for bytes.
    static func isLess(_ a: StatValue, _ b: StatValue) -> Bool {
        switch (a, b) {
        case (.boolean(let x), .boolean(let y)): !x && y
        case (.int32(let x), .int32(let y)): x < y
        case (.int64(let x), .int64(let y)): x < y
        case (.double(let x), .double(let y)): x < y
        case (.bytes(let x), .bytes(let y)): x.lexicographicallyPrecedes(y)
        default: false
        }
    }

    /// PLAIN encoding without a length prefix, as Statistics.min_value/max_value store it.
    var plainBytes: [UInt8] {
        switch self {
        case .boolean(let v): [v ? 1 : 0]
        case .int32(let v): withUnsafeBytes(of: v.littleEndian) { Array($0) }
        case .int64(let v): withUnsafeBytes(of: v.littleEndian) { Array($0) }
        case .double(let v): withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) }
        case .bytes(let v): v
        }
    }

    /// Decodes a Statistics min/max field for a column of `type`; nil when the length does not fit the type.
    static func decode(_ bytes: [UInt8], as type: ParquetPhysicalType) -> StatValue? {
        func load<T: FixedWidthInteger>(_: T.Type) -> T? {
            guard bytes.count == MemoryLayout<T>.size else { return nil }
            return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(as: T.self)) }
        }
        switch type {
        case .boolean: return bytes.count == 1 ? .boolean(bytes[0] != 0) : nil
        case .int32: return load(Int32.self).map { .int32($0) }
        case .int64: return load(Int64.self).map { .int64($0) }
        case .double: return load(UInt64.self).map { .double(Double(bitPattern: $0)) }
        case .byteArray: return .bytes(bytes)
        }
    }
}
