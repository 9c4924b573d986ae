// Thrift compact parsing of the footer and page-header structures; unknown fields are skipped.

extension ParquetFormat.LogicalTypeAnnotation {
    static func read(from r: inout ThriftCompactReader) throws -> Self? {
        var result: Self?
        try r.beginStruct()
        while let h = try r.readFieldHeader() {
            switch (h.id, h.type) {
            case (1, .struct): result = .string; try r.skip(h.type)
            case (2, .struct): result = .map; try r.skip(h.type)
            case (3, .struct): result = .list; try r.skip(h.type)
            case (6, .struct): result = .date; try r.skip(h.type)
            case (8, .struct):
                var utc = false
                var unit = TimeUnit.micros
                try r.beginStruct()
                while let th = try r.readFieldHeader() {
                    switch (th.id, th.type) {
                    case (1, .booleanTrue), (1, .booleanFalse): utc = r.readBoolField(th)
                    case (2, .struct):
                        try r.beginStruct()
                        while let uh = try r.readFieldHeader() {
                            if let known = TimeUnit(rawValue: uh.id) { unit = known }
                            try r.skip(uh.type)
                        }
                        r.endStruct()
                    default: try r.skip(th.type)
                    }
                }
                r.endStruct()
                result = .timestamp(isAdjustedToUTC: utc, unit: unit)
            default:
                result = .other(h.id)
                try r.skip(h.type)
            }
        }
        r.endStruct()
        return result
    }
}

extension ParquetFormat.SchemaElement {
    static func read(from r: inout ThriftCompactReader) throws -> Self {
        var e = Self()
        try r.beginStruct()
        while let h = try r.readFieldHeader() {
            switch (h.id, h.type) {
            case (1, .i32): e.type = try r.readI32()
            case (2, .i32): e.typeLength = try r.readI32()
            case (3, .i32): e.repetitionType = try r.readI32()
            case (4, .binary): e.name = try r.readString()
            case (5, .i32): e.numChildren = try r.readI32()
            case (6, .i32): e.convertedType = try r.readI32()
            case (10, .struct): e.logicalType = try ParquetFormat.LogicalTypeAnnotation.read(from: &r)
            default: try r.skip(h.type)
            }
        }
        r.endStruct()
        return e
    }
}

extension ParquetFormat.Statistics {
    static func read(from r: inout ThriftCompactReader) throws -> Self {
        var s = Self()
        try r.beginStruct()
        while let h = try r.readFieldHeader() {
            switch (h.id, h.type) {
            case (1, .binary): s.max = try r.readBinary()
            case (2, .binary): s.min = try r.readBinary()
            case (3, .i64): s.nullCount = try r.readI64()
            case (4, .i64): s.distinctCount = try r.readI64()
            case (5, .binary): s.maxValue = try r.readBinary()
            case (6, .binary): s.minValue = try r.readBinary()
            default: try r.skip(h.type)
            }
        }
        r.endStruct()
        return s
    }
}

extension ParquetFormat.ColumnMetaData {
    static func read(from r: inout ThriftCompactReader) throws -> Self {
        var m = Self()
        try r.beginStruct()
        while let h = try r.readFieldHeader() {
            switch (h.id, h.type) {
            case (1, .i32): m.type = try r.readI32()
            case (2, .list): m.encodings = try r.readI32List()
            case (3, .list): m.pathInSchema = try r.readStringList()
            case (4, .i32): m.codec = try r.readI32()
            case (5, .i64): m.numValues = try r.readI64()
            case (6, .i64): m.totalUncompressedSize = try r.readI64()
            case (7, .i64): m.totalCompressedSize = try r.readI64()
            case (9, .i64): m.dataPageOffset = try r.readI64()
            case (11, .i64): m.dictionaryPageOffset = try r.readI64()
            case (12, .struct): m.statistics = try ParquetFormat.Statistics.read(from: &r)
            default: try r.skip(h.type)
            }
        }
        r.endStruct()
        return m
    }
}

extension ParquetFormat.ColumnChunk {
    static func read(from r: inout ThriftCompactReader) throws -> Self {
        var c = Self()
        try r.beginStruct()
        while let h = try r.readFieldHeader() {
            switch (h.id, h.type) {
            case (2, .i64): c.fileOffset = try r.readI64()
            case (3, .struct): c.metaData = try ParquetFormat.ColumnMetaData.read(from: &r)
            default: try r.skip(h.type)
            }
        }
        r.endStruct()
        return c
    }
}

extension ParquetFormat.RowGroup {
    static func read(from r: inout ThriftCompactReader) throws -> Self {
        var g = Self()
        try r.beginStruct()
        while let h = try r.readFieldHeader() {
            switch (h.id, h.type) {
            case (1, .list):
                let (_, count) = try r.readListHeader()
                g.columns.reserveCapacity(count)
                for _ in 0..<count { g.columns.append(try ParquetFormat.ColumnChunk.read(from: &r)) }
            case (2, .i64): g.totalByteSize = try r.readI64()
            case (3, .i64): g.numRows = try r.readI64()
            case (5, .i64): g.fileOffset = try r.readI64()
            case (6, .i64): g.totalCompressedSize = try r.readI64()
            case (7, .i16): g.ordinal = Int16(truncatingIfNeeded: try r.readI64())
            default: try r.skip(h.type)
            }
        }
        r.endStruct()
        return g
    }
}

extension ParquetFormat.FileMetaData {
    /// Parses a serialised FileMetaData from `bytes[start..<end]`.
    static func decode(_ bytes: [UInt8], start: Int, end: Int) throws -> Self {
        var r = ThriftCompactReader(bytes: bytes, position: start, end: end)
        var f = Self()
        f.version = 0
        try r.beginStruct()
        while let h = try r.readFieldHeader() {
            switch (h.id, h.type) {
            case (1, .i32): f.version = try r.readI32()
            case (2, .list):
                let (_, count) = try r.readListHeader()
                f.schema.reserveCapacity(count)
                for _ in 0..<count { f.schema.append(try ParquetFormat.SchemaElement.read(from: &r)) }
            case (3, .i64): f.numRows = try r.readI64()
            case (4, .list):
                let (_, count) = try r.readListHeader()
                f.rowGroups.reserveCapacity(count)
                for _ in 0..<count { f.rowGroups.append(try ParquetFormat.RowGroup.read(from: &r)) }
            case (5, .list):
                let (_, count) = try r.readListHeader()
                var pairs: [ParquetFormat.KeyValue] = []
                for _ in 0..<count {
                    var kv = ParquetFormat.KeyValue(key: "", value: nil)
                    try r.beginStruct()
                    while let kh = try r.readFieldHeader() {
                        switch (kh.id, kh.type) {
                        case (1, .binary): kv.key = try r.readString()
                        case (2, .binary): kv.value = try r.readString()
                        default: try r.skip(kh.type)
                        }
                    }
                    r.endStruct()
                    pairs.append(kv)
                }
                f.keyValueMetadata = pairs
            case (6, .binary): f.createdBy = try r.readString()
            case (7, .list):
                let (_, count) = try r.readListHeader()
                var typeDefined = 0
                for _ in 0..<count {
                    try r.beginStruct()
                    while let oh = try r.readFieldHeader() {
                        if oh.id == 1 { typeDefined += 1 }
                        try r.skip(oh.type)
                    }
                    r.endStruct()
                }
                f.typeDefinedColumnOrders = typeDefined
            default: try r.skip(h.type)
            }
        }
        r.endStruct()
        return f
    }
}

extension ParquetFormat.PageHeader {
    /// Parses a page header at `position`; returns it and the offset of the first byte after it.
    static func decode(_ bytes: [UInt8], position: Int, end: Int) throws -> (Self, Int) {
        var r = ThriftCompactReader(bytes: bytes, position: position, end: end)
        var p = Self()
        do {
            try r.beginStruct()
            while let h = try r.readFieldHeader() {
                switch (h.id, h.type) {
                case (1, .i32): p.type = try r.readI32()
                case (2, .i32): p.uncompressedPageSize = try r.readI32()
                case (3, .i32): p.compressedPageSize = try r.readI32()
                case (4, .i32): p.crc = try r.readI32()
                case (5, .struct):
                    var d = ParquetFormat.DataPageHeader()
                    try r.beginStruct()
                    while let dh = try r.readFieldHeader() {
                        switch (dh.id, dh.type) {
                        case (1, .i32): d.numValues = try r.readI32()
                        case (2, .i32): d.encoding = try r.readI32()
                        case (3, .i32): d.definitionLevelEncoding = try r.readI32()
                        case (4, .i32): d.repetitionLevelEncoding = try r.readI32()
                        case (5, .struct): d.statistics = try ParquetFormat.Statistics.read(from: &r)
                        default: try r.skip(dh.type)
                        }
                    }
                    r.endStruct()
                    p.dataPageHeader = d
                case (7, .struct):
                    var d = ParquetFormat.DictionaryPageHeader()
                    try r.beginStruct()
                    while let dh = try r.readFieldHeader() {
                        switch (dh.id, dh.type) {
                        case (1, .i32): d.numValues = try r.readI32()
                        case (2, .i32): d.encoding = try r.readI32()
                        case (3, .booleanTrue), (3, .booleanFalse): d.isSorted = r.readBoolField(dh)
                        default: try r.skip(dh.type)
                        }
                    }
                    r.endStruct()
                    p.dictionaryPageHeader = d
                case (8, .struct):
                    var d = ParquetFormat.DataPageHeaderV2()
                    try r.beginStruct()
                    while let dh = try r.readFieldHeader() {
                        switch (dh.id, dh.type) {
                        case (1, .i32): d.numValues = try r.readI32()
                        case (2, .i32): d.numNulls = try r.readI32()
                        case (3, .i32): d.numRows = try r.readI32()
                        case (4, .i32): d.encoding = try r.readI32()
                        case (5, .i32): d.definitionLevelsByteLength = try r.readI32()
                        case (6, .i32): d.repetitionLevelsByteLength = try r.readI32()
                        case (7, .booleanTrue), (7, .booleanFalse): d.isCompressed = r.readBoolField(dh)
                        default: try r.skip(dh.type)
                        }
                    }
                    r.endStruct()
                    p.dataPageHeaderV2 = d
                default: try r.skip(h.type)
                }
            }
            r.endStruct()
        } catch let error as ParquetError {
            throw ParquetError.corruptPage("page header at offset \(position): \(error.message)")
        }
        return (p, r.position)
    }
}
