/// How each Delta type is stored in Parquet data files (ARCHITECTURE.md § Tables).
extension DeltaType {
    /// Physical Parquet type.
    public var parquetPhysicalType: ParquetPhysicalType {
        switch self {
        case .string, .binary: return .byteArray
        case .integer, .date: return .int32
        case .long, .timestamp: return .int64
        case .double: return .double
        case .boolean: return .boolean
        }
    }

    /// Parquet logical type annotation.
    public var parquetLogicalType: ParquetLogicalType {
        switch self {
        case .string: return .string
        case .date: return .date
        case .timestamp: return .timestampMicrosUTC
        case .integer, .long, .double, .boolean, .binary: return .none
        }
    }

    /// Whether `values` is the in-memory representation of this type.
    package func matches(_ values: ColumnValues) -> Bool {
        switch (self, values) {
        case (.string, .byteArray), (.binary, .byteArray), (.integer, .int32), (.date, .int32), (.long, .int64),
            (.timestamp, .int64),
            (.double, .double), (.boolean, .boolean):
            return true
        default:
            return false
        }
    }

    /// No values, of the right representation.
    package var emptyValues: ColumnValues {
        switch self {
        case .string, .binary: return .byteArray(ByteArrayColumn())
        case .integer, .date: return .int32([])
        case .long, .timestamp: return .int64([])
        case .double: return .double([])
        case .boolean: return .boolean([])
        }
    }
}

extension DeltaField {
    /// The Parquet leaf of this column in a data file.
    public var parquetNode: ParquetNode {
        .leaf(
            name: name, repetition: nullable ? .optional : .required, type: type.parquetPhysicalType,
            logical: type.parquetLogicalType)
    }
}
