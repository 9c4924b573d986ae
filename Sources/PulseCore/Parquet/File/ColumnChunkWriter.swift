/// Writes one column chunk (one leaf in one row group): an optional PLAIN dictionary page, then v1 data pages
/// of about `pageTargetBytes` (cut only where a new row starts), each compressed; returns the chunk's metadata
/// and statistics. Values and levels are read in place from the caller's arrays (ranges, no copies).
struct ColumnChunkWriter {
    /// The part of a column that goes into one row group.
    struct Slice {
        var values: ColumnValues
        var valueRange: Range<Int>
        var definitionLevels: [UInt8]?
        var repetitionLevels: [UInt8]?
        var slotRange: Range<Int>
    }

    struct Output {
        var chunk: ParquetFormat.ColumnChunk
        var statistics: ColumnStatistics
        var uncompressedBytes: Int64
        var compressedBytes: Int64
    }

    let leaf: ParquetLeaf
    let options: ParquetWriterOptions
    let codec: ZstdCodec?

    /// Scratch buffers reused across pages and chunks.
    private var pageBody: [UInt8] = []
    private var compressed: [UInt8] = []

    init(leaf: ParquetLeaf, options: ParquetWriterOptions, codec: ZstdCodec?) {
        self.leaf = leaf
        self.options = options
        self.codec = codec
    }

    /// Appends the chunk's pages to `file` and returns its metadata.
    mutating func write(_ slice: Slice, to file: inout [UInt8]) throws -> Output {
        let maxDef = leaf.maxDefinitionLevel
        var nullCount = 0
        if let def = slice.definitionLevels, maxDef > 0 {
            def.withUnsafeBufferPointer { d in
                for i in slice.slotRange where Int(d[i]) < maxDef { nullCount += 1 }
            }
        }

        var dictionary: DictionaryEncoding?
        if options.dictionaryEnabled {
            dictionary = DictionaryEncoder.encode(
                slice.values, slice.valueRange, maxBytes: options.maxDictionaryBytes,
                maxEntries: options.maxDictionaryEntries)
        }

        var statistics = ColumnStatistics(nullCount: Int64(nullCount))
        if let dictionary {
            let all = 0..<dictionary.dictionary.count
            if let (lo, hi) = ColumnStatisticsCollector.minMax(dictionary.dictionary, all) {
                statistics.min = lo
                statistics.max = hi
            }
        } else if let (lo, hi) = ColumnStatisticsCollector.minMax(slice.values, slice.valueRange) {
            statistics.min = lo
            statistics.max = hi
        }

        let chunkStart = file.count
        var uncompressedTotal = 0
        var dictionaryPageOffset: Int64?
        if let dictionary {
            dictionaryPageOffset = Int64(file.count)
            pageBody.removeAll(keepingCapacity: true)
            PlainEncoder.encode(dictionary.dictionary, 0..<dictionary.dictionary.count, into: &pageBody)
            var header = ParquetFormat.PageHeader()
            header.type = ParquetFormat.PageTypeCode.dictionaryPage
            header.dictionaryPageHeader = ParquetFormat.DictionaryPageHeader(
                numValues: Int32(dictionary.dictionary.count), encoding: ParquetFormat.EncodingCode.plain,
                isSorted: false)
            uncompressedTotal += try writePage(header: header, to: &file)
        }

        let dataPageOffset = Int64(file.count)
        var slot = slice.slotRange.lowerBound
        var value = slice.valueRange.lowerBound
        repeat {
            let (slotEnd, valueEnd) = nextPageEnd(slice, slot: slot, value: value, dictionary: dictionary)
            pageBody.removeAll(keepingCapacity: true)
            if leaf.maxRepetitionLevel > 0 {
                appendLevels(
                    slice.repetitionLevels, slot..<slotEnd, maxLevel: leaf.maxRepetitionLevel, defaultLevel: 0)
            }
            if maxDef > 0 {
                appendLevels(slice.definitionLevels, slot..<slotEnd, maxLevel: maxDef, defaultLevel: maxDef)
            }
            let encoding: Int32
            if let dictionary {
                encoding = ParquetFormat.EncodingCode.rleDictionary
                pageBody.append(UInt8(dictionary.bitWidth))
                var encoder = RleBitPackedHybridEncoder(bitWidth: dictionary.bitWidth)
                let base = slice.valueRange.lowerBound
                dictionary.indices.withUnsafeBufferPointer { indices in
                    for i in (value - base)..<(valueEnd - base) { encoder.put(indices[i]) }
                }
                pageBody.append(contentsOf: encoder.finish())
            } else {
                encoding = ParquetFormat.EncodingCode.plain
                PlainEncoder.encode(slice.values, value..<valueEnd, into: &pageBody)
            }
            var header = ParquetFormat.PageHeader()
            header.type = ParquetFormat.PageTypeCode.dataPage
            header.dataPageHeader = ParquetFormat.DataPageHeader(
                numValues: Int32(slotEnd - slot), encoding: encoding)
            uncompressedTotal += try writePage(header: header, to: &file)
            slot = slotEnd
            value = valueEnd
        } while slot < slice.slotRange.upperBound

        var encodings: [Int32] = [ParquetFormat.EncodingCode.plain, ParquetFormat.EncodingCode.rle]
        if dictionary != nil { encodings.append(ParquetFormat.EncodingCode.rleDictionary) }
        let compressedTotal = file.count - chunkStart
        var meta = ParquetFormat.ColumnMetaData()
        meta.type = leaf.type.thriftCode
        meta.encodings = encodings
        meta.pathInSchema = leaf.path
        meta.codec = codec == nil ? ParquetFormat.CodecCode.uncompressed : ParquetFormat.CodecCode.zstd
        meta.numValues = Int64(slice.slotRange.count)
        meta.totalUncompressedSize = Int64(uncompressedTotal)
        meta.totalCompressedSize = Int64(compressedTotal)
        meta.dataPageOffset = dataPageOffset
        meta.dictionaryPageOffset = dictionaryPageOffset
        meta.statistics = Self.thriftStatistics(statistics, type: leaf.type)
        return Output(
            chunk: ParquetFormat.ColumnChunk(fileOffset: 0, metaData: meta), statistics: statistics,
            uncompressedBytes: Int64(uncompressedTotal), compressedBytes: Int64(compressedTotal))
    }

    /// Statistics as written to the footer: min_value/max_value, plus the legacy min/max for types whose
    /// legacy (signed) order equals the type-defined order.
    static func thriftStatistics(_ s: ColumnStatistics, type: ParquetPhysicalType) -> ParquetFormat.Statistics {
        var t = ParquetFormat.Statistics()
        t.nullCount = s.nullCount
        if let lo = s.min, let hi = s.max {
            t.minValue = lo.plainBytes
            t.maxValue = hi.plainBytes
            if type != .byteArray {
                t.min = t.minValue
                t.max = t.maxValue
            }
        }
        return t
    }

    /// Compresses `pageBody`, appends header and body to `file`; returns the uncompressed size incl. header.
    private mutating func writePage(header: ParquetFormat.PageHeader, to file: inout [UInt8]) throws -> Int {
        var header = header
        guard pageBody.count <= Int(Int32.max) else {
            throw ParquetError.invalidColumn("page of \(pageBody.count) bytes in column \(leaf.path) exceeds 2 GiB")
        }
        header.uncompressedPageSize = Int32(pageBody.count)
        var headerWriter = ThriftCompactWriter()
        if let codec {
            try codec.compress(pageBody, into: &compressed)
            header.compressedPageSize = Int32(compressed.count)
            header.write(to: &headerWriter)
            file.append(contentsOf: headerWriter.bytes)
            file.append(contentsOf: compressed)
        } else {
            header.compressedPageSize = Int32(pageBody.count)
            header.write(to: &headerWriter)
            file.append(contentsOf: headerWriter.bytes)
            file.append(contentsOf: pageBody)
        }
        return headerWriter.bytes.count + pageBody.count
    }

    /// RLE levels with their 4-byte length prefix (data page v1).
    private mutating func appendLevels(_ levels: [UInt8]?, _ range: Range<Int>, maxLevel: Int, defaultLevel: Int) {
        let bitWidth = RleBitPackedHybridEncoder.bitWidth(forMaxValue: UInt64(maxLevel))
        var encoder = RleBitPackedHybridEncoder(bitWidth: bitWidth, reservingBytes: range.count / 4 + 16)
        if let levels {
            levels.withUnsafeBufferPointer { l in
                for i in range { encoder.put(UInt32(l[i])) }
            }
        } else {
            encoder.put(UInt32(defaultLevel), repeating: range.count)
        }
        let encoded = encoder.finish()
        withUnsafeBytes(of: UInt32(encoded.count).littleEndian) { pageBody.append(contentsOf: $0) }
        pageBody.append(contentsOf: encoded)
    }

    /// The end (exclusive) slot and value of the page starting at `slot`/`value`: at least one slot, about
    /// `pageTargetBytes` of encoded values, and, for repeated columns, ending just before a slot with
    /// repetition level 0 (a row start).
    private func nextPageEnd(_ slice: Slice, slot: Int, value: Int, dictionary: DictionaryEncoding?) -> (Int, Int) {
        let slotLimit = slice.slotRange.upperBound
        let target = max(1, options.pageTargetBytes)
        if slot >= slotLimit { return (slot, value) }
        let fixedCost: Int?
        var byteArrayOffsets: [Int32]?
        if let dictionary {
            fixedCost = max(1, dictionary.bitWidth / 8)
        } else {
            switch slice.values {
            case .boolean: fixedCost = 1
            case .int32: fixedCost = 4
            case .int64, .double: fixedCost = 8
            case .byteArray(let column):
                fixedCost = nil
                byteArrayOffsets = column.offsets
            }
        }
        // Flat, fully defined column: slots and values advance together.
        if slice.definitionLevels == nil && slice.repetitionLevels == nil {
            if let fixedCost {
                let count = min(slotLimit - slot, max(1, target / fixedCost))
                return (slot + count, value + count)
            }
            let offsets = byteArrayOffsets!
            var end = value
            var bytes = 0
            let valueLimit = value + (slotLimit - slot)
            while end < valueLimit && bytes < target {
                bytes += 4 + Int(offsets[end + 1] - offsets[end])
                end += 1
            }
            return (slot + (end - value), end)
        }
        let maxDef = leaf.maxDefinitionLevel
        let def = slice.definitionLevels
        let rep = slice.repetitionLevels
        var s = slot
        var v = value
        var bytes = 0
        while s < slotLimit {
            if def == nil || Int(def![s]) == maxDef {
                if let fixedCost {
                    bytes += fixedCost
                } else {
                    bytes += 4 + Int(byteArrayOffsets![v + 1] - byteArrayOffsets![v])
                }
                v += 1
            } else {
                bytes += 1
            }
            s += 1
            if bytes >= target && (rep == nil || s == slotLimit || rep![s] == 0) { break }
        }
        return (s, v)
    }
}

extension ParquetPhysicalType {
    /// parquet.thrift `Type` code.
    var thriftCode: Int32 {
        switch self {
        case .boolean: ParquetFormat.PhysicalTypeCode.boolean
        case .int32: ParquetFormat.PhysicalTypeCode.int32
        case .int64: ParquetFormat.PhysicalTypeCode.int64
        case .double: ParquetFormat.PhysicalTypeCode.double
        case .byteArray: ParquetFormat.PhysicalTypeCode.byteArray
        }
    }
}
