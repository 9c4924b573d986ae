/// Writes a whole Parquet file in memory from column-wise data: row groups cut by `rowGroupTargetBytes`
/// (at row boundaries, so repeated columns never split a row), v1 data pages, optional dictionaries,
/// zstd or no compression, per-chunk statistics, and a footer with TypeDefinedOrder column orders.
public struct ParquetFileWriter: Sendable {
    public let schema: ParquetSchema
    public let options: ParquetWriterOptions

    /// A writer for files of `schema`.
    public init(schema: ParquetSchema, options: ParquetWriterOptions = .init()) {
        self.schema = schema
        self.options = options
    }

    /// Writes one file from one `ColumnData` per leaf (in `schema.leaves` order) holding `rowCount` rows.
    public func write(columns: [ColumnData], rowCount: Int, keyValueMetadata: [(String, String)] = []) throws
        -> ParquetWriteResult
    {
        try Self.write(
            schema: schema, columns: columns, rowCount: rowCount, options: options, keyValueMetadata: keyValueMetadata)
    }

    /// Whole-file write; cuts row groups by rowGroupTargetBytes (for columns with repetition levels, cut only at
    /// rep level 0 boundaries).
    public static func write(
        schema: ParquetSchema, columns: [ColumnData], rowCount: Int, options: ParquetWriterOptions = .init(),
        keyValueMetadata: [(String, String)] = []
    ) throws -> ParquetWriteResult {
        let leaves = schema.leaves
        guard !leaves.isEmpty else { throw ParquetError.invalidSchema("schema has no columns") }
        guard columns.count == leaves.count else {
            throw ParquetError.invalidColumn("schema has \(leaves.count) leaf columns, got \(columns.count) columns")
        }
        guard rowCount >= 0 else { throw ParquetError.invalidColumn("negative row count \(rowCount)") }
        let elements = try schema.thriftElements()
        for (leaf, column) in zip(leaves, columns) { try validate(column, leaf: leaf, rowCount: rowCount) }

        // Row groups: equal row counts sized so that each holds about rowGroupTargetBytes of input.
        var inputBytes = 0
        for column in columns {
            inputBytes += column.values.inputByteCount
            if column.definitionLevels != nil { inputBytes += column.slotCount }
            if column.repetitionLevels != nil { inputBytes += column.slotCount }
        }
        let target = max(1, options.rowGroupTargetBytes)
        let groupCount = rowCount == 0 ? 0 : min(rowCount, max(1, (inputBytes + target - 1) / target))
        let rowsPerGroup = groupCount == 0 ? 0 : (rowCount + groupCount - 1) / groupCount
        var rowBoundaries: [Int] = [0]
        while let last = rowBoundaries.last, last < rowCount {
            rowBoundaries.append(min(rowCount, last + rowsPerGroup))
        }
        if rowCount == 0 { rowBoundaries = [] }

        let codec: ZstdCodec?
        switch options.compression {
        case .uncompressed: codec = nil
        case .zstd(let level): codec = try ZstdCodec(level: level)
        }

        var file: [UInt8] = []
        file.reserveCapacity(inputBytes / 4 + 4096)
        file.append(contentsOf: ParquetFormat.magic)
        var rowGroups: [ParquetFormat.RowGroup] = []
        var fileStatistics = [ColumnStatistics](repeating: ColumnStatistics(), count: leaves.count)
        var columnWriters = leaves.map { ColumnChunkWriter(leaf: $0, options: options, codec: codec) }
        let cuts = columns.indices.map { cutPoints(columns[$0], leaf: leaves[$0], rowBoundaries: rowBoundaries) }

        for group in 0..<max(0, rowBoundaries.count - 1) {
            var rowGroup = ParquetFormat.RowGroup()
            rowGroup.numRows = Int64(rowBoundaries[group + 1] - rowBoundaries[group])
            rowGroup.fileOffset = Int64(file.count)
            rowGroup.ordinal = Int16(truncatingIfNeeded: group)
            var uncompressed: Int64 = 0
            var compressed: Int64 = 0
            for (c, column) in columns.enumerated() {
                let slice = ColumnChunkWriter.Slice(
                    values: column.values,
                    valueRange: cuts[c].values[group]..<cuts[c].values[group + 1],
                    definitionLevels: column.definitionLevels, repetitionLevels: column.repetitionLevels,
                    slotRange: cuts[c].slots[group]..<cuts[c].slots[group + 1])
                let output = try columnWriters[c].write(slice, to: &file)
                rowGroup.columns.append(output.chunk)
                fileStatistics[c].merge(output.statistics)
                uncompressed += output.uncompressedBytes
                compressed += output.compressedBytes
            }
            rowGroup.totalByteSize = uncompressed
            rowGroup.totalCompressedSize = compressed
            rowGroups.append(rowGroup)
        }

        var meta = ParquetFormat.FileMetaData()
        meta.version = 1
        meta.schema = elements
        meta.numRows = Int64(rowCount)
        meta.rowGroups = rowGroups
        meta.keyValueMetadata =
            keyValueMetadata.isEmpty ? nil : keyValueMetadata.map { ParquetFormat.KeyValue(key: $0.0, value: $0.1) }
        meta.createdBy = options.createdBy
        meta.typeDefinedColumnOrders = leaves.count
        let footer = meta.encoded()
        file.append(contentsOf: footer)
        withUnsafeBytes(of: UInt32(footer.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(contentsOf: ParquetFormat.magic)
        return ParquetWriteResult(
            bytes: file, rowCount: Int64(rowCount), columnStatistics: fileStatistics, rowGroupCount: rowGroups.count)
    }

    /// Checks that a column's values and levels agree with its leaf and the row count.
    static func validate(_ column: ColumnData, leaf: ParquetLeaf, rowCount: Int) throws {
        let name = leaf.path.joined(separator: ".")
        guard column.values.physicalType == leaf.type else {
            throw ParquetError.invalidColumn(
                "column '\(name)' is \(leaf.type) in the schema but got \(column.values.physicalType) values")
        }
        let slots = column.slotCount
        if let def = column.definitionLevels, let rep = column.repetitionLevels, def.count != rep.count {
            throw ParquetError.invalidColumn(
                "column '\(name)' has \(def.count) definition levels but \(rep.count) repetition levels")
        }
        var defined = slots
        if let def = column.definitionLevels {
            let maxDef = UInt8(clamping: leaf.maxDefinitionLevel)
            defined = 0
            var bad = false
            def.withUnsafeBufferPointer { d in
                for level in d {
                    if level == maxDef { defined += 1 } else if level > maxDef { bad = true }
                }
            }
            if bad {
                throw ParquetError.invalidColumn(
                    "column '\(name)' has a definition level above its max \(leaf.maxDefinitionLevel)")
            }
        }
        guard defined == column.values.count else {
            throw ParquetError.invalidColumn(
                "column '\(name)' has \(defined) defined slots but \(column.values.count) values")
        }
        var rows = slots
        if let rep = column.repetitionLevels {
            let maxRep = UInt8(clamping: leaf.maxRepetitionLevel)
            rows = 0
            var bad = false
            rep.withUnsafeBufferPointer { r in
                for level in r {
                    if level == 0 { rows += 1 } else if level > maxRep { bad = true }
                }
            }
            if bad {
                throw ParquetError.invalidColumn(
                    "column '\(name)' has a repetition level above its max \(leaf.maxRepetitionLevel)")
            }
            if let first = rep.first, first != 0 {
                throw ParquetError.invalidColumn("column '\(name)' starts with repetition level \(first), not 0")
            }
        }
        guard rows == rowCount else {
            throw ParquetError.invalidColumn("column '\(name)' holds \(rows) rows, expected \(rowCount)")
        }
    }

    /// For each row boundary, the slot index and value index where that row starts in this column.
    static func cutPoints(_ column: ColumnData, leaf: ParquetLeaf, rowBoundaries: [Int]) -> (
        slots: [Int], values: [Int]
    ) {
        var slots: [Int] = []
        var values: [Int] = []
        slots.reserveCapacity(rowBoundaries.count)
        values.reserveCapacity(rowBoundaries.count)
        let def = column.definitionLevels
        let rep = column.repetitionLevels
        // Walk slots once, counting rows (rep == 0 starts a row) and defined values.
        let slotCount = column.slotCount
        let definedLevel = UInt8(clamping: leaf.maxDefinitionLevel)
        var slot = 0
        var value = 0
        var row = 0
        for boundary in rowBoundaries {
            if rep == nil && def == nil {
                slot = boundary
                value = boundary
            } else {
                while slot < slotCount {
                    let startsRow = rep == nil || rep![slot] == 0
                    if startsRow {
                        if row == boundary { break }
                        row += 1
                    }
                    if def == nil || def![slot] == definedLevel { value += 1 }
                    slot += 1
                }
            }
            slots.append(slot)
            values.append(value)
        }
        return (slots, values)
    }
}
