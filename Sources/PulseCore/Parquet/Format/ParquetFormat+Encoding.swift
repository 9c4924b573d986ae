// Thrift compact serialisation of the footer and page-header structures (field ids from parquet.thrift).

extension ParquetFormat.LogicalTypeAnnotation {
    func write(to w: inout ThriftCompactWriter) {
        w.beginStruct()
        switch self {
        case .string: w.writeEmptyStructField(1)
        case .map: w.writeEmptyStructField(2)
        case .list: w.writeEmptyStructField(3)
        case .date: w.writeEmptyStructField(6)
        case .timestamp(let utc, let unit):
            w.beginStructField(8)
            w.writeField(1, bool: utc)
            w.beginStructField(2)  // TimeUnit union
            w.writeEmptyStructField(unit.rawValue)
            w.endStruct()
            w.endStruct()
        case .other(let id): w.writeEmptyStructField(id)
        }
        w.endStruct()
    }
}

extension ParquetFormat.SchemaElement {
    func write(to w: inout ThriftCompactWriter) {
        w.beginStruct()
        if let type { w.writeField(1, i32: type) }
        if let typeLength { w.writeField(2, i32: typeLength) }
        if let repetitionType { w.writeField(3, i32: repetitionType) }
        w.writeField(4, string: name)
        if let numChildren { w.writeField(5, i32: numChildren) }
        if let convertedType { w.writeField(6, i32: convertedType) }
        if let logicalType {
            w.writeFieldHeader(10, .struct)
            logicalType.write(to: &w)
        }
        w.endStruct()
    }
}

extension ParquetFormat.Statistics {
    func write(to w: inout ThriftCompactWriter) {
        w.beginStruct()
        if let max { w.writeField(1, binary: max) }
        if let min { w.writeField(2, binary: min) }
        if let nullCount { w.writeField(3, i64: nullCount) }
        if let distinctCount { w.writeField(4, i64: distinctCount) }
        if let maxValue { w.writeField(5, binary: maxValue) }
        if let minValue { w.writeField(6, binary: minValue) }
        w.endStruct()
    }
}

extension ParquetFormat.ColumnMetaData {
    func write(to w: inout ThriftCompactWriter) {
        w.beginStruct()
        w.writeField(1, i32: type)
        w.beginListField(2, elementType: .i32, count: encodings.count)
        for encoding in encodings { w.writeI32(encoding) }
        w.beginListField(3, elementType: .binary, count: pathInSchema.count)
        for part in pathInSchema { w.writeString(part) }
        w.writeField(4, i32: codec)
        w.writeField(5, i64: numValues)
        w.writeField(6, i64: totalUncompressedSize)
        w.writeField(7, i64: totalCompressedSize)
        w.writeField(9, i64: dataPageOffset)
        if let dictionaryPageOffset { w.writeField(11, i64: dictionaryPageOffset) }
        if let statistics {
            w.writeFieldHeader(12, .struct)
            statistics.write(to: &w)
        }
        w.endStruct()
    }
}

extension ParquetFormat.FileMetaData {
    /// The serialised footer (without length and magic).
    func encoded() -> [UInt8] {
        var w = ThriftCompactWriter()
        w.beginStruct()
        w.writeField(1, i32: version)
        w.beginListField(2, elementType: .struct, count: schema.count)
        for element in schema { element.write(to: &w) }
        w.writeField(3, i64: numRows)
        w.beginListField(4, elementType: .struct, count: rowGroups.count)
        for group in rowGroups {
            w.beginStruct()
            w.beginListField(1, elementType: .struct, count: group.columns.count)
            for chunk in group.columns {
                w.beginStruct()
                w.writeField(2, i64: chunk.fileOffset)
                if let meta = chunk.metaData {
                    w.writeFieldHeader(3, .struct)
                    meta.write(to: &w)
                }
                w.endStruct()
            }
            w.writeField(2, i64: group.totalByteSize)
            w.writeField(3, i64: group.numRows)
            if let offset = group.fileOffset { w.writeField(5, i64: offset) }
            if let size = group.totalCompressedSize { w.writeField(6, i64: size) }
            if let ordinal = group.ordinal { w.writeField(7, i16: ordinal) }
            w.endStruct()
        }
        if let keyValueMetadata {
            w.beginListField(5, elementType: .struct, count: keyValueMetadata.count)
            for kv in keyValueMetadata {
                w.beginStruct()
                w.writeField(1, string: kv.key)
                if let value = kv.value { w.writeField(2, string: value) }
                w.endStruct()
            }
        }
        if let createdBy { w.writeField(6, string: createdBy) }
        if let orders = typeDefinedColumnOrders {
            w.beginListField(7, elementType: .struct, count: orders)
            for _ in 0..<orders {
                w.beginStruct()
                w.writeEmptyStructField(1)  // TYPE_ORDER
                w.endStruct()
            }
        }
        w.endStruct()
        return w.bytes
    }
}

extension ParquetFormat.PageHeader {
    /// Appends the serialised header to `out`.
    func write(to w: inout ThriftCompactWriter) {
        w.beginStruct()
        w.writeField(1, i32: type)
        w.writeField(2, i32: uncompressedPageSize)
        w.writeField(3, i32: compressedPageSize)
        if let crc { w.writeField(4, i32: crc) }
        if let data = dataPageHeader {
            w.beginStructField(5)
            w.writeField(1, i32: data.numValues)
            w.writeField(2, i32: data.encoding)
            w.writeField(3, i32: data.definitionLevelEncoding)
            w.writeField(4, i32: data.repetitionLevelEncoding)
            if let statistics = data.statistics {
                w.writeFieldHeader(5, .struct)
                statistics.write(to: &w)
            }
            w.endStruct()
        }
        if let dict = dictionaryPageHeader {
            w.beginStructField(7)
            w.writeField(1, i32: dict.numValues)
            w.writeField(2, i32: dict.encoding)
            if let sorted = dict.isSorted { w.writeField(3, bool: sorted) }
            w.endStruct()
        }
        if let v2 = dataPageHeaderV2 {
            w.beginStructField(8)
            w.writeField(1, i32: v2.numValues)
            w.writeField(2, i32: v2.numNulls)
            w.writeField(3, i32: v2.numRows)
            w.writeField(4, i32: v2.encoding)
            w.writeField(5, i32: v2.definitionLevelsByteLength)
            w.writeField(6, i32: v2.repetitionLevelsByteLength)
            w.writeField(7, bool: v2.isCompressed)
            w.endStruct()
        }
        w.endStruct()
    }
}
