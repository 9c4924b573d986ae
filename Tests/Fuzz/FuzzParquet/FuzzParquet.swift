import PulseCore

// libFuzzer target: a Parquet file through `ParquetFileReader` (the Thrift compact reader on the footer
// and page headers, the schema tree, RLE/bit-packed levels, PLAIN and dictionary values, zstd pages),
// then every column and every column's statistics.
//
// An input that does not start with "PAR1" is taken as a bare footer (a serialised FileMetaData) and
// wrapped into a file, so mutations of the Thrift bytes reach the decoder without first having to keep
// the magic and the footer length consistent.
//
// Invariants of every column read: the values have the leaf's physical type; levels never exceed the
// leaf's maxima; there are as many values as definition levels at the maximum; repetition and
// definition levels come in pairs; byte-array offsets start at 0, never decrease and end at the data's
// end. Statistics have the leaf's type (bytes for byte arrays).

let magic: [UInt8] = Array("PAR1".utf8)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParquet(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if !bytes.starts(with: magic) {
        let footerLength = UInt32(truncatingIfNeeded: bytes.count)
        bytes = magic + bytes + withUnsafeBytes(of: footerLength.littleEndian) { Array($0) } + magic
    }
    guard let reader = try? ParquetFileReader(bytes: bytes) else { return 0 }
    _ = (reader.rowCount, reader.rowGroupCount, reader.keyValueMetadata, reader.createdBy)
    _ = reader.hasTypeDefinedColumnOrders
    for (index, leaf) in reader.schema.leaves.enumerated() {
        if let column = try? reader.readColumn(index) { check(column, of: leaf) }
        if let statistics = try? reader.statistics(index) {
            for value in [statistics.min, statistics.max] { if let value { check(value, of: leaf) } }
        }
    }
    return 0
}

func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant broken: \(message())") }
}

func check(_ column: ColumnData, of leaf: ParquetLeaf) {
    let name = leaf.path.joined(separator: ".")
    require(
        column.values.physicalType == leaf.type, "\(name): values of \(column.values.physicalType), leaf \(leaf.type)")
    if let definition = column.definitionLevels {
        require(leaf.maxDefinitionLevel > 0, "\(name): definition levels for a required leaf")
        require(definition.allSatisfy { Int($0) <= leaf.maxDefinitionLevel }, "\(name): definition level above max")
        let defined = definition.count { Int($0) == leaf.maxDefinitionLevel }
        require(defined == column.values.count, "\(name): \(column.values.count) values for \(defined) defined levels")
    } else {
        require(leaf.maxDefinitionLevel == 0, "\(name): no definition levels for an optional leaf")
    }
    if let repetition = column.repetitionLevels {
        require(leaf.maxRepetitionLevel > 0, "\(name): repetition levels for an unrepeated leaf")
        require(repetition.allSatisfy { Int($0) <= leaf.maxRepetitionLevel }, "\(name): repetition level above max")
        require(
            repetition.count == column.definitionLevels?.count,
            "\(name): repetition and definition levels differ in count")
    } else {
        require(leaf.maxRepetitionLevel == 0, "\(name): no repetition levels for a repeated leaf")
    }
    if case .byteArray(let strings) = column.values {
        let offsets = strings.offsets
        require(offsets.first == 0, "\(name): byte-array offsets do not start at 0")
        require(zip(offsets, offsets.dropFirst()).allSatisfy { $0 <= $1 }, "\(name): byte-array offsets decrease")
        require(Int(offsets.last!) == strings.data.count, "\(name): byte-array offsets end before the data")
        for i in 0..<min(strings.count, 64) { _ = strings.string(at: i) }
    }
}

func check(_ value: StatValue, of leaf: ParquetLeaf) {
    let matches: Bool
    switch (value, leaf.type) {
    case (.boolean, .boolean), (.int32, .int32), (.int64, .int64), (.double, .double), (.bytes, .byteArray):
        matches = true
    default:
        matches = false
    }
    require(matches, "\(leaf.path.joined(separator: ".")): statistic \(value) for a \(leaf.type) leaf")
}
