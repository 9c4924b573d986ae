/// Reads one column chunk's pages (dictionary page, v1 and v2 data pages; PLAIN and RLE_DICTIONARY values;
/// uncompressed or zstd), appending dense values and levels to the caller's accumulators.
struct ColumnChunkReader {
    let leaf: ParquetLeaf

    /// Accumulates a whole column across row groups.
    struct Accumulator {
        var values: ColumnValues
        var definitionLevels: [UInt8] = []
        var repetitionLevels: [UInt8] = []

        init(type: ParquetPhysicalType) {
            switch type {
            case .boolean: values = .boolean([])
            case .int32: values = .int32([])
            case .int64: values = .int64([])
            case .double: values = .double([])
            case .byteArray: values = .byteArray(ByteArrayColumn())
            }
        }
    }

    /// Reads the chunk described by `meta` from `file`.
    func read(file: [UInt8], meta: ParquetFormat.ColumnMetaData, into acc: inout Accumulator) throws {
        let name = leaf.path.joined(separator: ".")
        guard meta.type == leaf.type.thriftCode else {
            throw ParquetError.corruptFooter("column '\(name)' chunk has type \(meta.type), schema says \(leaf.type)")
        }
        let compressed: Bool
        switch meta.codec {
        case ParquetFormat.CodecCode.uncompressed: compressed = false
        case ParquetFormat.CodecCode.zstd: compressed = true
        default: throw ParquetError.unsupported("column '\(name)' uses compression codec \(meta.codec)")
        }
        var start = Int(meta.dataPageOffset)
        if let dictionaryOffset = meta.dictionaryPageOffset, dictionaryOffset > 0, Int(dictionaryOffset) < start {
            start = Int(dictionaryOffset)
        }
        guard start >= 4, start < file.count, meta.totalCompressedSize >= 0,
            meta.totalCompressedSize <= Int64(file.count - 8 - start), meta.numValues >= 0
        else {
            throw ParquetError.corruptFooter(
                "column '\(name)' chunk at \(start) of \(meta.totalCompressedSize) bytes lies outside the file")
        }
        let end = start + Int(meta.totalCompressedSize)
        guard end <= file.count - 8 else {
            throw ParquetError.corruptFooter("column '\(name)' chunk [\(start), \(end)) lies outside the file")
        }
        var dictionary: ColumnValues?
        var slotsRead: Int64 = 0
        var position = start
        var indices: [UInt32] = []
        while slotsRead < meta.numValues && position < end {
            let (header, bodyStart) = try ParquetFormat.PageHeader.decode(file, position: position, end: end)
            let bodyEnd = bodyStart + Int(header.compressedPageSize)
            guard header.compressedPageSize >= 0, header.uncompressedPageSize >= 0, bodyEnd <= end else {
                throw ParquetError.corruptPage("column '\(name)' page at \(position) runs past its chunk")
            }
            position = bodyEnd
            switch header.type {
            case ParquetFormat.PageTypeCode.dictionaryPage:
                guard let dict = header.dictionaryPageHeader else {
                    throw ParquetError.corruptPage("column '\(name)' dictionary page without its header")
                }
                let body = try pageBody(file, bodyStart..<bodyEnd, compressed, Int(header.uncompressedPageSize))
                var values = Accumulator(type: leaf.type).values
                _ = try body.withUnsafeBytes { try PlainDecoder.decode($0, count: Int(dict.numValues), into: &values) }
                dictionary = values
            case ParquetFormat.PageTypeCode.dataPage:
                guard let data = header.dataPageHeader else {
                    throw ParquetError.corruptPage("column '\(name)' data page without its header")
                }
                guard data.numValues >= 0, Int64(data.numValues) <= meta.numValues - slotsRead else {
                    throw ParquetError.corruptPage("column '\(name)' page has \(data.numValues) values")
                }
                let body = try pageBody(file, bodyStart..<bodyEnd, compressed, Int(header.uncompressedPageSize))
                try body.withUnsafeBytes { raw in
                    var p = 0
                    let count = Int(data.numValues)
                    if leaf.maxRepetitionLevel > 0 {
                        p += try readLevels(
                            raw, from: p, count: count, max: leaf.maxRepetitionLevel, prefixed: nil,
                            into: &acc.repetitionLevels)
                    }
                    var defined = count
                    if leaf.maxDefinitionLevel > 0 {
                        let before = acc.definitionLevels.count
                        p += try readLevels(
                            raw, from: p, count: count, max: leaf.maxDefinitionLevel, prefixed: nil,
                            into: &acc.definitionLevels)
                        defined = countDefined(acc.definitionLevels, from: before)
                    }
                    try readValues(
                        UnsafeRawBufferPointer(rebasing: raw[p...]), encoding: data.encoding,
                        count: defined, dictionary: dictionary, indices: &indices, into: &acc.values)
                }
                slotsRead += Int64(data.numValues)
            case ParquetFormat.PageTypeCode.dataPageV2:
                guard let data = header.dataPageHeaderV2 else {
                    throw ParquetError.corruptPage("column '\(name)' v2 data page without its header")
                }
                let repLength = Int(data.repetitionLevelsByteLength)
                let defLength = Int(data.definitionLevelsByteLength)
                guard repLength >= 0, defLength >= 0, bodyStart + repLength + defLength <= bodyEnd,
                    data.numValues >= 0, data.numNulls >= 0, data.numNulls <= data.numValues,
                    Int64(data.numValues) <= meta.numValues - slotsRead,
                    Int(header.uncompressedPageSize) >= repLength + defLength
                else {
                    throw ParquetError.corruptPage("column '\(name)' v2 page level lengths exceed the page")
                }
                let count = Int(data.numValues)
                let defined = count - Int(data.numNulls)
                try file.withUnsafeBytes { raw in
                    if leaf.maxRepetitionLevel > 0 {
                        _ = try readLevels(
                            raw, from: bodyStart, count: count, max: leaf.maxRepetitionLevel,
                            prefixed: repLength, into: &acc.repetitionLevels)
                    }
                    var definedByLevels = count
                    if leaf.maxDefinitionLevel > 0 {
                        let before = acc.definitionLevels.count
                        _ = try readLevels(
                            raw, from: bodyStart + repLength, count: count,
                            max: leaf.maxDefinitionLevel, prefixed: defLength,
                            into: &acc.definitionLevels)
                        definedByLevels = countDefined(acc.definitionLevels, from: before)
                    }
                    // The values that follow are read by num_nulls: it must agree with the levels.
                    guard definedByLevels == defined else {
                        throw ParquetError.corruptPage(
                            "column '\(name)' v2 page has \(data.numNulls) nulls, its levels say \(count - definedByLevels)"
                        )
                    }
                }
                let valuesRange = (bodyStart + repLength + defLength)..<bodyEnd
                let valuesBody: [UInt8]
                if compressed && data.isCompressed {
                    valuesBody = try pageBody(
                        file, valuesRange, true, Int(header.uncompressedPageSize) - repLength - defLength)
                } else {
                    valuesBody = Array(file[valuesRange])
                }
                try valuesBody.withUnsafeBytes { raw in
                    try readValues(
                        raw, encoding: data.encoding, count: defined, dictionary: dictionary,
                        indices: &indices, into: &acc.values)
                }
                slotsRead += Int64(data.numValues)
            default:
                continue  // index pages and unknown page types carry no values
            }
        }
        guard slotsRead == meta.numValues else {
            throw ParquetError.corruptPage(
                "column '\(name)' chunk has \(slotsRead) values, metadata says \(meta.numValues)")
        }
    }

    private func pageBody(_ file: [UInt8], _ range: Range<Int>, _ compressed: Bool, _ uncompressedSize: Int) throws
        -> [UInt8]
    {
        guard compressed else { return Array(file[range]) }
        return try file.withUnsafeBytes {
            try ZstdCodec.decompress(UnsafeRawBufferPointer(rebasing: $0[range]), uncompressedSize: uncompressedSize)
        }
    }

    /// Decodes `count` RLE levels at `from`: with a 4-byte length prefix (v1) or with a known length (v2).
    /// Returns the bytes consumed.
    private func readLevels(
        _ raw: UnsafeRawBufferPointer, from: Int, count: Int, max: Int, prefixed knownLength: Int?,
        into levels: inout [UInt8]
    ) throws -> Int {
        var p = from
        let length: Int
        if let knownLength {
            length = knownLength
        } else {
            guard p + 4 <= raw.count else { throw ParquetError.corruptPage("levels length prefix truncated") }
            length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: p, as: UInt32.self)))
            p += 4
        }
        guard length <= raw.count - p else { throw ParquetError.corruptPage("levels run past the page") }
        let before = levels.count
        let bitWidth = RleBitPackedHybridEncoder.bitWidth(forMaxValue: UInt64(max))
        _ = try RleBitPackedHybridDecoder.decode(
            UnsafeRawBufferPointer(rebasing: raw[p..<p + length]), bitWidth: bitWidth, count: count, into: &levels)
        for i in before..<levels.count where Int(levels[i]) > max {
            throw ParquetError.corruptPage("level \(levels[i]) above max \(max) in column \(leaf.path)")
        }
        return p + length - from
    }

    private func countDefined(_ levels: [UInt8], from: Int) -> Int {
        let maxDef = UInt8(leaf.maxDefinitionLevel)
        var n = 0
        for i in from..<levels.count where levels[i] == maxDef { n += 1 }
        return n
    }

    private func readValues(
        _ raw: UnsafeRawBufferPointer, encoding: Int32, count: Int, dictionary: ColumnValues?,
        indices: inout [UInt32], into values: inout ColumnValues
    ) throws {
        switch encoding {
        case ParquetFormat.EncodingCode.plain:
            _ = try PlainDecoder.decode(raw, count: count, into: &values)
        case ParquetFormat.EncodingCode.rleDictionary, ParquetFormat.EncodingCode.plainDictionary:
            guard let dictionary else {
                throw ParquetError.corruptPage("column \(leaf.path) has dictionary-encoded pages but no dictionary")
            }
            if count == 0 { return }
            guard raw.count >= 1 else { throw ParquetError.corruptPage("dictionary page body empty") }
            indices.removeAll(keepingCapacity: true)
            _ = try RleBitPackedHybridDecoder.decode(
                UnsafeRawBufferPointer(rebasing: raw[1...]), bitWidth: Int(raw[0]), count: count, into: &indices)
            try values.appendGathering(from: dictionary, indices: indices)
        case ParquetFormat.EncodingCode.rle where leaf.type == .boolean:
            // Booleans as RLE (written by e.g. parquet-cpp in v2 pages): 4-byte length, then width-1 hybrid.
            guard raw.count >= 4 else { throw ParquetError.corruptPage("RLE boolean length prefix truncated") }
            let length = Int(UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self)))
            guard length <= raw.count - 4 else { throw ParquetError.corruptPage("RLE booleans run past the page") }
            var bits: [UInt8] = []
            _ = try RleBitPackedHybridDecoder.decode(
                UnsafeRawBufferPointer(rebasing: raw[4..<4 + length]), bitWidth: 1, count: count, into: &bits)
            guard case .boolean(var v) = values else { return }
            values = .boolean([])
            v.append(contentsOf: bits.lazy.map { $0 != 0 })
            values = .boolean(v)
        default:
            throw ParquetError.unsupported("column \(leaf.path) uses value encoding \(encoding)")
        }
    }
}

extension ColumnValues {
    /// Appends `dictionary[indices[i]]` for each index; throws on an index outside the dictionary.
    mutating func appendGathering(from dictionary: ColumnValues, indices: [UInt32]) throws {
        let size = dictionary.count
        for index in indices where Int(index) >= size {
            throw ParquetError.corruptPage("dictionary index \(index) outside a dictionary of \(size) entries")
        }
        switch (self, dictionary) {
        case (.int32(var v), .int32(let d)):
            self = .int32([])
            for i in indices { v.append(d[Int(i)]) }
            self = .int32(v)
        case (.int64(var v), .int64(let d)):
            self = .int64([])
            for i in indices { v.append(d[Int(i)]) }
            self = .int64(v)
        case (.double(var v), .double(let d)):
            self = .double([])
            for i in indices { v.append(d[Int(i)]) }
            self = .double(v)
        case (.boolean(var v), .boolean(let d)):
            self = .boolean([])
            for i in indices { v.append(d[Int(i)]) }
            self = .boolean(v)
        case (.byteArray(var v), .byteArray(let d)):
            self = .byteArray(ByteArrayColumn())
            v.offsets.reserveCapacity(v.offsets.count + indices.count)
            d.data.withUnsafeBytes { data in
                for i in indices {
                    let from = Int(d.offsets[Int(i)])
                    let to = Int(d.offsets[Int(i) + 1])
                    v.append(UnsafeRawBufferPointer(rebasing: data[from..<to]))
                }
            }
            self = .byteArray(v)
        default:
            throw ParquetError.corruptPage("dictionary type does not match the column type")
        }
    }
}
