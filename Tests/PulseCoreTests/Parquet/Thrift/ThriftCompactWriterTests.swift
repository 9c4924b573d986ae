import Testing

@testable import PulseCore

@Suite struct ThriftCompactWriterTests {
    @Test func scalarFieldsRoundTrip() throws {
        var w = ThriftCompactWriter()
        w.beginStruct()
        w.writeField(1, i32: -1)
        w.writeField(2, i64: Int64.min)
        w.writeField(3, bool: true)
        w.writeField(4, bool: false)
        w.writeField(5, string: "héllo")
        w.writeField(20, i64: Int64.max)  // delta > 15: long-form header
        w.writeField(21, i32: Int32.max)
        w.writeField(22, double: -0.5)
        w.writeField(23, binary: [])
        w.endStruct()

        var r = ThriftCompactReader(bytes: w.bytes)
        try r.beginStruct()
        var seen: [Int16] = []
        while let h = try r.readFieldHeader() {
            seen.append(h.id)
            switch h.id {
            case 1: #expect(try r.readI32() == -1)
            case 2: #expect(try r.readI64() == Int64.min)
            case 3: #expect(r.readBoolField(h) == true)
            case 4: #expect(r.readBoolField(h) == false)
            case 5: #expect(try r.readString() == "héllo")
            case 20: #expect(try r.readI64() == Int64.max)
            case 21: #expect(try r.readI32() == Int32.max)
            case 22: #expect(try r.readDouble() == -0.5)
            case 23: #expect(try r.readBinary() == [])
            default: Issue.record("unexpected field \(h.id)")
            }
        }
        r.endStruct()
        #expect(seen == [1, 2, 3, 4, 5, 20, 21, 22, 23])
        #expect(r.position == w.bytes.count)
    }

    @Test func knownEncodings() {
        var w = ThriftCompactWriter()
        w.beginStruct()
        w.writeField(1, i32: 1)  // header 0x15, zigzag(1) = 2
        w.writeField(2, i32: -1)  // header 0x15, zigzag(-1) = 1
        w.writeField(3, i64: 300)  // header 0x16, zigzag 600 = 0xD8 0x04
        w.endStruct()
        #expect(w.bytes == [0x15, 0x02, 0x15, 0x01, 0x16, 0xD8, 0x04, 0x00])
    }

    @Test func nestedStructsListsAndSkipping() throws {
        var w = ThriftCompactWriter()
        w.beginStruct()
        w.beginListField(1, elementType: .i32, count: 20)  // >= 15: long-form list header
        for i in 0..<20 { w.writeI32(Int32(i) - 10) }
        w.beginStructField(2)
        w.writeField(1, string: "inner")
        w.beginListField(2, elementType: .binary, count: 2)
        w.writeString("a")
        w.writeString("")
        w.endStruct()
        w.writeField(3, i32: 42)  // after a nested struct, the delta restarts from field 2
        w.endStruct()

        // Full read.
        var r = ThriftCompactReader(bytes: w.bytes)
        try r.beginStruct()
        var h = try #require(try r.readFieldHeader())
        #expect(h.id == 1)
        #expect(try r.readI32List() == (0..<20).map { Int32($0) - 10 })
        h = try #require(try r.readFieldHeader())
        #expect(h.id == 2 && h.type == .struct)
        try r.beginStruct()
        h = try #require(try r.readFieldHeader())
        #expect(try r.readString() == "inner")
        h = try #require(try r.readFieldHeader())
        #expect(try r.readStringList() == ["a", ""])
        #expect(try r.readFieldHeader() == nil)
        r.endStruct()
        h = try #require(try r.readFieldHeader())
        #expect(h.id == 3)
        #expect(try r.readI32() == 42)
        #expect(try r.readFieldHeader() == nil)

        // Skipping unknown fields lands on the same field 3.
        var s = ThriftCompactReader(bytes: w.bytes)
        try s.beginStruct()
        var last: Int32 = 0
        while let fh = try s.readFieldHeader() {
            if fh.id == 3 { last = try s.readI32() } else { try s.skip(fh.type) }
        }
        #expect(last == 42)
    }

    @Test func truncatedInputThrows() {
        var w = ThriftCompactWriter()
        w.beginStruct()
        w.writeField(1, string: "a longer string")
        w.endStruct()
        let cut = Array(w.bytes.prefix(5))
        var r = ThriftCompactReader(bytes: cut)
        #expect(throws: ParquetError.self) {
            try r.beginStruct()
            while let h = try r.readFieldHeader() { try r.skip(h.type) }
        }
    }

    @Test func fileMetaDataRoundTrip() throws {
        var meta = ParquetFormat.FileMetaData()
        meta.schema = try ParquetSchema([
            .leaf(name: "ts", repetition: .required, type: .int64, logical: .timestampMicrosUTC),
            .list(
                name: "tags", element: .leaf(name: "element", repetition: .optional, type: .byteArray, logical: .string)
            ),
        ]).thriftElements()
        meta.numRows = 7
        var chunk = ParquetFormat.ColumnMetaData()
        chunk.type = ParquetFormat.PhysicalTypeCode.int64
        chunk.encodings = [0, 3]
        chunk.pathInSchema = ["ts"]
        chunk.codec = ParquetFormat.CodecCode.zstd
        chunk.numValues = 7
        chunk.totalCompressedSize = 100
        chunk.totalUncompressedSize = 200
        chunk.dataPageOffset = 4
        chunk.statistics = ParquetFormat.Statistics(
            max: [1], min: [0], nullCount: 0, distinctCount: nil, maxValue: [9, 9], minValue: [])
        meta.rowGroups = [
            ParquetFormat.RowGroup(
                columns: [ParquetFormat.ColumnChunk(fileOffset: 0, metaData: chunk)], totalByteSize: 200, numRows: 7,
                fileOffset: 4, totalCompressedSize: 100, ordinal: 0)
        ]
        meta.keyValueMetadata = [ParquetFormat.KeyValue(key: "k", value: "v")]
        meta.createdBy = "pulse-tui version 0.1"
        meta.typeDefinedColumnOrders = 2
        let bytes = meta.encoded()
        let decoded = try ParquetFormat.FileMetaData.decode(bytes, start: 0, end: bytes.count)
        #expect(decoded == meta)
    }

    @Test func pageHeaderRoundTrip() throws {
        var header = ParquetFormat.PageHeader()
        header.type = ParquetFormat.PageTypeCode.dataPage
        header.uncompressedPageSize = 1 << 20
        header.compressedPageSize = 12345
        header.dataPageHeader = ParquetFormat.DataPageHeader(numValues: 99, encoding: 8)
        var w = ThriftCompactWriter()
        header.write(to: &w)
        let bytes = [0xAA] + w.bytes + [0xBB]
        let (decoded, end) = try ParquetFormat.PageHeader.decode(bytes, position: 1, end: bytes.count)
        #expect(decoded == header)
        #expect(end == bytes.count - 1)
    }
}
