/// Reads Parquet files held in memory: parses and validates the footer on init, then decodes whole columns
/// (all row groups concatenated) as dense values plus levels, and merges column statistics over row groups.
public struct ParquetFileReader: Sendable {
    private let bytes: [UInt8]
    let metadata: ParquetFormat.FileMetaData
    private let leaves: [ParquetLeaf]
    public let schema: ParquetSchema

    /// Parses the footer; throws `.corruptFooter` when the magic, length or metadata is invalid.
    public init(bytes: [UInt8]) throws {
        let magic = ParquetFormat.magic
        guard bytes.count >= 12 else {
            throw ParquetError.corruptFooter("file is \(bytes.count) bytes, smaller than a Parquet file can be")
        }
        guard Array(bytes[0..<4]) == magic, Array(bytes[(bytes.count - 4)...]) == magic else {
            throw ParquetError.corruptFooter("missing PAR1 magic at the start or end of the file")
        }
        let footerLength = bytes.withUnsafeBytes {
            Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt32.self)))
        }
        let footerStart = bytes.count - 8 - footerLength
        guard footerStart >= 4 else {
            throw ParquetError.corruptFooter("footer length \(footerLength) exceeds the \(bytes.count)-byte file")
        }
        let metadata = try ParquetFormat.FileMetaData.decode(bytes, start: footerStart, end: bytes.count - 8)
        guard metadata.numRows >= 0 else {
            throw ParquetError.corruptFooter("num_rows is \(metadata.numRows)")
        }
        let schema = try ParquetSchema(thriftElements: metadata.schema)
        let leaves = schema.leaves
        for (i, group) in metadata.rowGroups.enumerated() {
            guard group.columns.count == leaves.count else {
                throw ParquetError.corruptFooter(
                    "row group \(i) has \(group.columns.count) column chunks, schema has \(leaves.count) leaves")
            }
            for chunk in group.columns where chunk.metaData == nil {
                throw ParquetError.unsupported("row group \(i) has a column chunk without inline metadata")
            }
        }
        self.bytes = bytes
        self.metadata = metadata
        self.schema = schema
        self.leaves = leaves
    }

    /// Total rows over all row groups (FileMetaData.num_rows).
    public var rowCount: Int64 { metadata.numRows }

    /// Number of row groups.
    public var rowGroupCount: Int { metadata.rowGroups.count }

    /// FileMetaData.key_value_metadata (missing values read as "").
    public var keyValueMetadata: [(String, String)] {
        (metadata.keyValueMetadata ?? []).map { ($0.key, $0.value ?? "") }
    }

    /// FileMetaData.created_by.
    public var createdBy: String? { metadata.createdBy }

    /// Whether the footer declares TypeDefinedOrder for every leaf.
    public var hasTypeDefinedColumnOrders: Bool { metadata.typeDefinedColumnOrders == leaves.count }

    /// The whole column (all row groups concatenated): dense values plus levels; levels are nil when the
    /// column's max level is 0.
    public func readColumn(_ leafIndex: Int) throws -> ColumnData {
        let leaf = try leafAt(leafIndex)
        let reader = ColumnChunkReader(leaf: leaf)
        var acc = ColumnChunkReader.Accumulator(type: leaf.type)
        for group in metadata.rowGroups {
            try reader.read(file: bytes, meta: group.columns[leafIndex].metaData!, into: &acc)
        }
        return ColumnData(
            values: acc.values,
            definitionLevels: leaf.maxDefinitionLevel > 0 ? acc.definitionLevels : nil,
            repetitionLevels: leaf.maxRepetitionLevel > 0 ? acc.repetitionLevels : nil)
    }

    /// Column statistics merged over row groups (min/max from min_value/max_value, or the legacy fields for
    /// non-byte-array columns).
    public func statistics(_ leafIndex: Int) throws -> ColumnStatistics {
        let leaf = try leafAt(leafIndex)
        var merged = ColumnStatistics()
        for group in metadata.rowGroups {
            guard let stats = group.columns[leafIndex].metaData?.statistics else { continue }
            var chunk = ColumnStatistics(nullCount: stats.nullCount ?? 0)
            let minBytes = stats.minValue ?? (leaf.type == .byteArray ? nil : stats.min)
            let maxBytes = stats.maxValue ?? (leaf.type == .byteArray ? nil : stats.max)
            if let minBytes, let maxBytes {
                chunk.min = StatValue.decode(minBytes, as: leaf.type)
                chunk.max = StatValue.decode(maxBytes, as: leaf.type)
            }
            merged.merge(chunk)
        }
        return merged
    }

    private func leafAt(_ index: Int) throws -> ParquetLeaf {
        guard leaves.indices.contains(index) else {
            throw ParquetError.invalidColumn("leaf index \(index) outside 0..<\(leaves.count)")
        }
        return leaves[index]
    }
}
