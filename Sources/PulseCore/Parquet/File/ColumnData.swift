/// The dense (non-null) values of one leaf column, by physical type.
public enum ColumnValues: Sendable, Equatable {
    case boolean([Bool])
    case int32([Int32])
    case int64([Int64])
    case double([Double])
    case byteArray(ByteArrayColumn)

    /// Number of values.
    public var count: Int {
        switch self {
        case .boolean(let v): v.count
        case .int32(let v): v.count
        case .int64(let v): v.count
        case .double(let v): v.count
        case .byteArray(let v): v.count
        }
    }

    /// The physical type these values are stored as.
    public var physicalType: ParquetPhysicalType {
        switch self {
        case .boolean: .boolean
        case .int32: .int32
        case .int64: .int64
        case .double: .double
        case .byteArray: .byteArray
        }
    }

    /// Bytes these values occupy in memory (byte arrays: data plus 4-byte offsets); the basis of size estimates.
    public var inputByteCount: Int {
        switch self {
        case .boolean(let v): v.count
        case .int32(let v): v.count * 4
        case .int64(let v): v.count * 8
        case .double(let v): v.count * 8
        case .byteArray(let v): v.byteCount + v.count * 4
        }
    }
}

/// One leaf column's data for a file: `values` holds only the defined (non-null) values, dense.
/// definitionLevels nil = every slot defined at the max level (required column, or optional with no nulls).
/// repetitionLevels nil = flat (all 0).
public struct ColumnData: Sendable, Equatable {
    public var values: ColumnValues
    public var definitionLevels: [UInt8]?
    public var repetitionLevels: [UInt8]?

    /// Creates column data; see the type's contract for what nil levels mean.
    public init(values: ColumnValues, definitionLevels: [UInt8]? = nil, repetitionLevels: [UInt8]? = nil) {
        self.values = values
        self.definitionLevels = definitionLevels
        self.repetitionLevels = repetitionLevels
    }

    /// Number of level slots (values plus nulls/empties) this column holds.
    public var slotCount: Int {
        definitionLevels?.count ?? repetitionLevels?.count ?? values.count
    }
}
