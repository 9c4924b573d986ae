/// The parquet.thrift structures this writer and reader use (FileMetaData, SchemaElement, RowGroup, ColumnChunk,
/// ColumnMetaData, Statistics, PageHeader, DataPageHeader, DictionaryPageHeader, LogicalType) and the enum
/// codes they carry. Field ids match apache/parquet-format's parquet.thrift; encoding/decoding live in
/// `ParquetFormat+Encoding.swift` and `ParquetFormat+Decoding.swift`.
enum ParquetFormat {
    static let magic: [UInt8] = Array("PAR1".utf8)

    /// parquet.thrift `Type`.
    enum PhysicalTypeCode {
        static let boolean: Int32 = 0
        static let int32: Int32 = 1
        static let int64: Int32 = 2
        static let int96: Int32 = 3
        static let float: Int32 = 4
        static let double: Int32 = 5
        static let byteArray: Int32 = 6
        static let fixedLenByteArray: Int32 = 7
    }

    /// parquet.thrift `ConvertedType` (the subset we write or map back).
    enum ConvertedTypeCode {
        static let utf8: Int32 = 0
        static let map: Int32 = 1
        static let mapKeyValue: Int32 = 2
        static let list: Int32 = 3
        static let date: Int32 = 6
        static let timestampMicros: Int32 = 10
    }

    /// parquet.thrift `FieldRepetitionType`.
    enum RepetitionCode {
        static let required: Int32 = 0
        static let optional: Int32 = 1
        static let repeated: Int32 = 2
    }

    /// parquet.thrift `Encoding`.
    enum EncodingCode {
        static let plain: Int32 = 0
        static let plainDictionary: Int32 = 2
        static let rle: Int32 = 3
        static let bitPacked: Int32 = 4
        static let rleDictionary: Int32 = 8
    }

    /// parquet.thrift `CompressionCodec`.
    enum CodecCode {
        static let uncompressed: Int32 = 0
        static let zstd: Int32 = 6
    }

    /// parquet.thrift `PageType`.
    enum PageTypeCode {
        static let dataPage: Int32 = 0
        static let dictionaryPage: Int32 = 2
        static let dataPageV2: Int32 = 3
    }

    /// parquet.thrift `LogicalType` union members we know; others are kept as `.other(fieldId)`.
    enum LogicalTypeAnnotation: Equatable {
        case string, map, list, date
        case timestamp(isAdjustedToUTC: Bool, unit: TimeUnit)
        case other(Int16)

        enum TimeUnit: Int16 { case millis = 1, micros = 2, nanos = 3 }
    }

    struct SchemaElement: Equatable {
        var type: Int32?
        var typeLength: Int32?
        var repetitionType: Int32?
        var name: String = ""
        var numChildren: Int32?
        var convertedType: Int32?
        var logicalType: LogicalTypeAnnotation?
    }

    struct Statistics: Equatable {
        var max: [UInt8]?
        var min: [UInt8]?
        var nullCount: Int64?
        var distinctCount: Int64?
        var maxValue: [UInt8]?
        var minValue: [UInt8]?
    }

    struct KeyValue: Equatable {
        var key: String
        var value: String?
    }

    struct ColumnMetaData: Equatable {
        var type: Int32 = 0
        var encodings: [Int32] = []
        var pathInSchema: [String] = []
        var codec: Int32 = 0
        var numValues: Int64 = 0
        var totalUncompressedSize: Int64 = 0
        var totalCompressedSize: Int64 = 0
        var dataPageOffset: Int64 = 0
        var dictionaryPageOffset: Int64?
        var statistics: Statistics?
    }

    struct ColumnChunk: Equatable {
        var fileOffset: Int64 = 0
        var metaData: ColumnMetaData?
    }

    struct RowGroup: Equatable {
        var columns: [ColumnChunk] = []
        var totalByteSize: Int64 = 0
        var numRows: Int64 = 0
        var fileOffset: Int64?
        var totalCompressedSize: Int64?
        var ordinal: Int16?
    }

    struct FileMetaData: Equatable {
        var version: Int32 = 1
        var schema: [SchemaElement] = []
        var numRows: Int64 = 0
        var rowGroups: [RowGroup] = []
        var keyValueMetadata: [KeyValue]?
        var createdBy: String?
        /// Number of TypeDefinedOrder entries in column_orders (one per leaf when written); nil when absent.
        var typeDefinedColumnOrders: Int?
    }

    struct DataPageHeader: Equatable {
        var numValues: Int32 = 0
        var encoding: Int32 = 0
        var definitionLevelEncoding: Int32 = EncodingCode.rle
        var repetitionLevelEncoding: Int32 = EncodingCode.rle
        var statistics: Statistics?
    }

    struct DictionaryPageHeader: Equatable {
        var numValues: Int32 = 0
        var encoding: Int32 = EncodingCode.plain
        var isSorted: Bool?
    }

    struct DataPageHeaderV2: Equatable {
        var numValues: Int32 = 0
        var numNulls: Int32 = 0
        var numRows: Int32 = 0
        var encoding: Int32 = 0
        var definitionLevelsByteLength: Int32 = 0
        var repetitionLevelsByteLength: Int32 = 0
        var isCompressed: Bool = true
    }

    struct PageHeader: Equatable {
        var type: Int32 = 0
        var uncompressedPageSize: Int32 = 0
        var compressedPageSize: Int32 = 0
        var crc: Int32?
        var dataPageHeader: DataPageHeader?
        var dictionaryPageHeader: DictionaryPageHeader?
        var dataPageHeaderV2: DataPageHeaderV2?
    }
}
