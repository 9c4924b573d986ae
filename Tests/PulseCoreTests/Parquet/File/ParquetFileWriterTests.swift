import Testing

@testable import PulseCore

/// Writer -> reader round trips (our code against our code; the interop suite checks against pyarrow/DuckDB).
@Suite struct ParquetFileWriterTests {
    static let optionVariants: [(String, ParquetWriterOptions)] = {
        var plain = ParquetWriterOptions()
        plain.compression = .uncompressed
        plain.dictionaryEnabled = false
        var small = ParquetWriterOptions()
        small.rowGroupTargetBytes = 2_000
        small.pageTargetBytes = 300
        small.compression = .zstd(level: 1)
        var fallback = ParquetWriterOptions()
        fallback.maxDictionaryBytes = 64
        fallback.pageTargetBytes = 1_000
        return [("default", ParquetWriterOptions()), ("plain", plain), ("small", small), ("fallback", fallback)]
    }()

    /// Normalises levels the way the reader reports them (arrays when the max level is above 0).
    static func normalized(_ c: ColumnData, _ leaf: ParquetLeaf) -> ColumnData {
        let slots = c.slotCount
        return ColumnData(
            values: c.values,
            definitionLevels: leaf.maxDefinitionLevel > 0
                ? (c.definitionLevels ?? Array(repeating: UInt8(leaf.maxDefinitionLevel), count: slots)) : nil,
            repetitionLevels: leaf.maxRepetitionLevel > 0
                ? (c.repetitionLevels ?? Array(repeating: 0, count: slots)) : nil)
    }

    static func roundTrip(
        _ schema: ParquetSchema, _ columns: [ColumnData], rows: Int, options: ParquetWriterOptions
    ) throws -> (ParquetWriteResult, ParquetFileReader) {
        let result = try ParquetFileWriter.write(schema: schema, columns: columns, rowCount: rows, options: options)
        let reader = try ParquetFileReader(bytes: result.bytes)
        #expect(reader.rowCount == Int64(rows))
        #expect(reader.rowGroupCount == result.rowGroupCount)
        #expect(reader.schema == schema)
        let leaves = schema.leaves
        for (i, column) in columns.enumerated() {
            let back = try reader.readColumn(i)
            let expected = normalized(column, leaves[i])
            #expect(back.definitionLevels == expected.definitionLevels, "def levels of \(leaves[i].path)")
            #expect(back.repetitionLevels == expected.repetitionLevels, "rep levels of \(leaves[i].path)")
            if case .double(let a) = back.values, case .double(let b) = expected.values {
                #expect(a.map(\.bitPattern) == b.map(\.bitPattern), "doubles of \(leaves[i].path)")
            } else {
                #expect(back.values == expected.values, "values of \(leaves[i].path)")
            }
            #expect(try reader.statistics(i) == result.columnStatistics[i], "stats of \(leaves[i].path)")
        }
        return (result, reader)
    }

    /// Random flat table: every physical type, required and optional (with nulls).
    static func randomFlatTable(rows: Int, seed: UInt64) -> (ParquetSchema, [ColumnData]) {
        var rng = SeededGenerator(seed: seed)
        let words = ["", "a", "Zürich", "東京", "emoji 🚲", "\u{0}nul", String(repeating: "x", count: 300)]
        var bools: [Bool] = []
        var i32: [Int32] = []
        var i64: [Int64] = []
        var dbl: [Double] = []
        var strs = ByteArrayColumn()
        var optStrs = ByteArrayColumn()
        var optDef: [UInt8] = []
        var optI64: [Int64] = []
        var optI64Def: [UInt8] = []
        for r in 0..<rows {
            bools.append(rng.next() & 1 == 0)
            i32.append(r % 11 == 0 ? (r % 2 == 0 ? Int32.min : Int32.max) : Int32(truncatingIfNeeded: rng.next()))
            i64.append(r % 13 == 0 ? (r % 2 == 0 ? Int64.min : Int64.max) : Int64(bitPattern: rng.next()))
            dbl.append(Double(Int64(bitPattern: rng.next()) % 1_000_000) / 7)
            strs.append(words[Int(rng.next() % UInt64(words.count))] + (rng.next() % 3 == 0 ? "\(r)" : ""))
            if rng.next() % 4 == 0 {
                optDef.append(0)
            } else {
                optDef.append(1)
                optStrs.append(words[Int(rng.next() % UInt64(words.count))])
            }
            if rng.next() % 3 == 0 {
                optI64Def.append(0)
            } else {
                optI64Def.append(1)
                optI64.append(Int64(rng.next() % 5))
            }
        }
        let schema = ParquetSchema([
            .leaf(name: "b", repetition: .required, type: .boolean, logical: .none),
            .leaf(name: "i32", repetition: .required, type: .int32, logical: .none),
            .leaf(name: "i64", repetition: .required, type: .int64, logical: .none),
            .leaf(name: "d", repetition: .required, type: .double, logical: .none),
            .leaf(name: "s", repetition: .required, type: .byteArray, logical: .string),
            .leaf(name: "os", repetition: .optional, type: .byteArray, logical: .string),
            .leaf(name: "oi", repetition: .optional, type: .int64, logical: .timestampMicrosUTC),
        ])
        let columns = [
            ColumnData(values: .boolean(bools)),
            ColumnData(values: .int32(i32)),
            ColumnData(values: .int64(i64)),
            ColumnData(values: .double(dbl)),
            ColumnData(values: .byteArray(strs)),
            ColumnData(values: .byteArray(optStrs), definitionLevels: optDef),
            ColumnData(values: .int64(optI64), definitionLevels: optI64Def),
        ]
        return (schema, columns)
    }

    @Test(arguments: 0..<4)
    func flatTableRoundTrip(variant: Int) throws {
        let (name, options) = Self.optionVariants[variant]
        let (schema, columns) = Self.randomFlatTable(rows: 3_000, seed: 42)
        let (result, _) = try Self.roundTrip(schema, columns, rows: 3_000, options: options)
        if name == "small" { #expect(result.rowGroupCount > 10) } else { #expect(result.rowGroupCount == 1) }
        // Writer statistics against an independent computation.
        #expect(result.columnStatistics[5].nullCount == Int64(columns[5].definitionLevels!.filter { $0 == 0 }.count))
        if case .int32(let v) = columns[1].values {
            #expect(result.columnStatistics[1].min == .int32(v.min()!))
            #expect(result.columnStatistics[1].max == .int32(v.max()!))
        }
        if case .byteArray(let s) = columns[4].values {
            let all = (0..<s.count).map { Array(s.bytes(at: $0)) }
            #expect(result.columnStatistics[4].min == .bytes(all.min { $0.lexicographicallyPrecedes($1) }!))
            #expect(result.columnStatistics[4].max == .bytes(all.max { $0.lexicographicallyPrecedes($1) }!))
        }
    }

    @Test func extremeDoublesAndStatistics() throws {
        let values: [Double] = [
            .nan, -0.0, 0.0, .infinity, -.infinity, .leastNonzeroMagnitude, -.greatestFiniteMagnitude,
        ]
        let schema = ParquetSchema([.leaf(name: "d", repetition: .required, type: .double, logical: .none)])
        let (result, _) = try Self.roundTrip(
            schema, [ColumnData(values: .double(values))], rows: values.count,
            options: .init())
        #expect(result.columnStatistics[0].min == .double(-.infinity))
        #expect(result.columnStatistics[0].max == .double(.infinity))

        // Only zeros: min is -0.0, max +0.0 (parquet.thrift ColumnOrder rules); only NaN: no min/max.
        let zeros = try ParquetFileWriter.write(
            schema: schema, columns: [ColumnData(values: .double([0.0, 0.0]))], rowCount: 2)
        guard case .double(let lo) = zeros.columnStatistics[0].min, case .double(let hi) = zeros.columnStatistics[0].max
        else { Issue.record("no zero stats"); return }
        #expect(lo.sign == .minus && lo == 0 && hi.sign == .plus && hi == 0)
        let nans = try ParquetFileWriter.write(
            schema: schema, columns: [ColumnData(values: .double([.nan]))], rowCount: 1)
        #expect(nans.columnStatistics[0].min == nil && nans.columnStatistics[0].max == nil)
    }

    @Test func allNullColumnHasNoMinMax() throws {
        let schema = ParquetSchema([.leaf(name: "s", repetition: .optional, type: .byteArray, logical: .string)])
        let column = ColumnData(values: .byteArray(ByteArrayColumn()), definitionLevels: [0, 0, 0])
        let (result, _) = try Self.roundTrip(schema, [column], rows: 3, options: .init())
        #expect(result.columnStatistics[0] == ColumnStatistics(nullCount: 3, min: nil, max: nil))
    }

    @Test func emptyFile() throws {
        let schema = ParquetSchema([.leaf(name: "x", repetition: .required, type: .int32, logical: .none)])
        let (result, reader) = try Self.roundTrip(schema, [ColumnData(values: .int32([]))], rows: 0, options: .init())
        #expect(result.rowGroupCount == 0)
        #expect(try reader.readColumn(0).values == .int32([]))
    }

    @Test func dictionaryIsUsedForLowCardinalityAndFallsBackOtherwise() throws {
        var low = ByteArrayColumn()
        var high = ByteArrayColumn()
        var ints: [Int32] = []
        for r in 0..<20_000 {
            low.append("station-\(r % 30)")
            high.append("unique value number \(r) with some padding to make it long")
            ints.append(Int32(r % 4))
        }
        let schema = ParquetSchema([
            .leaf(name: "low", repetition: .required, type: .byteArray, logical: .string),
            .leaf(name: "high", repetition: .required, type: .byteArray, logical: .string),
            .leaf(name: "p", repetition: .required, type: .int32, logical: .none),
        ])
        let columns = [
            ColumnData(values: .byteArray(low)), ColumnData(values: .byteArray(high)),
            ColumnData(values: .int32(ints)),
        ]
        let (_, reader) = try Self.roundTrip(schema, columns, rows: 20_000, options: .init())
        let chunks = reader.metadata.rowGroups[0].columns.map { $0.metaData! }
        #expect(chunks[0].encodings.contains(ParquetFormat.EncodingCode.rleDictionary))
        #expect(chunks[0].dictionaryPageOffset != nil)
        #expect(!chunks[1].encodings.contains(ParquetFormat.EncodingCode.rleDictionary))  // > 1 MiB dictionary
        #expect(chunks[1].dictionaryPageOffset == nil)
        #expect(chunks[2].encodings.contains(ParquetFormat.EncodingCode.rleDictionary))

        var entryLimited = ParquetWriterOptions()
        entryLimited.maxDictionaryEntries = 10
        let (_, limited) = try Self.roundTrip(schema, columns, rows: 20_000, options: entryLimited)
        #expect(limited.metadata.rowGroups[0].columns[0].metaData!.dictionaryPageOffset == nil)
        #expect(limited.metadata.rowGroups[0].columns[2].metaData!.dictionaryPageOffset != nil)
    }

    @Test func manyPagesAndRowGroups() throws {
        var options = ParquetWriterOptions()
        options.rowGroupTargetBytes = 50_000
        options.pageTargetBytes = 1_000
        let (schema, columns) = Self.randomFlatTable(rows: 10_000, seed: 7)
        let (result, reader) = try Self.roundTrip(schema, columns, rows: 10_000, options: options)
        #expect(result.rowGroupCount > 5)
        #expect(reader.metadata.rowGroups.map(\.numRows).reduce(0, +) == 10_000)
        #expect(reader.hasTypeDefinedColumnOrders)
        #expect(reader.createdBy == "pulse-tui version 0.1")
    }

    /// A Delta-checkpoint-like nested schema: struct, map<string,string>, list<string>.
    static func nestedTable() -> (ParquetSchema, [ColumnData], rows: Int) {
        let schema = ParquetSchema([
            .leaf(name: "id", repetition: .required, type: .int64, logical: .none),
            .group(
                name: "add", repetition: .optional, logical: .none,
                children: [
                    .leaf(name: "path", repetition: .required, type: .byteArray, logical: .string),
                    .leaf(name: "size", repetition: .optional, type: .int64, logical: .none),
                ]),
            .map(
                name: "pv", key: .leaf(name: "key", repetition: .required, type: .byteArray, logical: .string),
                value: .leaf(name: "value", repetition: .optional, type: .byteArray, logical: .string)),
            .list(
                name: "cols", element: .leaf(name: "element", repetition: .optional, type: .byteArray, logical: .string)
            ),
        ])
        func strings(_ s: [String]) -> ColumnValues {
            var c = ByteArrayColumn()
            for x in s { c.append(x) }
            return .byteArray(c)
        }
        // Rows: 0 {add null, pv null, cols null}; 1 {add{p1, null}, pv {}, cols []};
        //       2 {add{p2, 5}, pv {dt: 2024-01-01, x: null}, cols [a, null, "ü"]}
        let columns = [
            ColumnData(values: .int64([0, 1, 2])),
            ColumnData(values: strings(["p1", "p2"]), definitionLevels: [0, 1, 1]),
            ColumnData(values: .int64([5]), definitionLevels: [0, 1, 2]),
            ColumnData(values: strings(["dt", "x"]), definitionLevels: [0, 1, 2, 2], repetitionLevels: [0, 0, 0, 1]),
            ColumnData(
                values: strings(["2024-01-01"]), definitionLevels: [0, 1, 3, 2], repetitionLevels: [0, 0, 0, 1]),
            ColumnData(
                values: strings(["a", "ü"]), definitionLevels: [0, 1, 3, 2, 3],
                repetitionLevels: [0, 0, 0, 1, 1]),
        ]
        return (schema, columns, 3)
    }

    @Test func nestedRoundTrip() throws {
        let (schema, columns, rows) = Self.nestedTable()
        let leaves = schema.leaves
        #expect(
            leaves.map(\.path) == [
                ["id"], ["add", "path"], ["add", "size"], ["pv", "key_value", "key"],
                ["pv", "key_value", "value"], ["cols", "list", "element"],
            ])
        #expect(leaves.map(\.maxDefinitionLevel) == [0, 1, 2, 2, 3, 3])
        #expect(leaves.map(\.maxRepetitionLevel) == [0, 0, 0, 1, 1, 1])
        for (_, options) in Self.optionVariants {
            _ = try Self.roundTrip(schema, columns, rows: rows, options: options)
        }
    }

    @Test func repeatedColumnsSplitOnlyAtRowStarts() throws {
        // 2,000 rows of lists with 0..4 elements, tiny row groups and pages.
        var rng = SeededGenerator(seed: 3)
        var values = ByteArrayColumn()
        var def: [UInt8] = []
        var rep: [UInt8] = []
        var ids: [Int32] = []
        for r in 0..<2_000 {
            ids.append(Int32(r))
            let n = Int(rng.next() % 5)
            if n == 0 {
                def.append(1)
                rep.append(0)
            }
            for k in 0..<n {
                def.append(3)
                rep.append(k == 0 ? 0 : 1)
                values.append("v\(r).\(k)")
            }
        }
        let schema = ParquetSchema([
            .leaf(name: "id", repetition: .required, type: .int32, logical: .none),
            .list(
                name: "l", element: .leaf(name: "element", repetition: .optional, type: .byteArray, logical: .string)),
        ])
        var options = ParquetWriterOptions()
        options.rowGroupTargetBytes = 4_000
        options.pageTargetBytes = 200
        let columns = [
            ColumnData(values: .int32(ids)),
            ColumnData(values: .byteArray(values), definitionLevels: def, repetitionLevels: rep),
        ]
        let (result, reader) = try Self.roundTrip(schema, columns, rows: 2_000, options: options)
        #expect(result.rowGroupCount > 3)
        for group in reader.metadata.rowGroups {
            #expect(group.columns[0].metaData!.numValues == group.numRows)
        }
    }

    @Test func invalidInputThrowsInvalidColumn() {
        let schema = ParquetSchema([
            .leaf(name: "a", repetition: .required, type: .int32, logical: .none),
            .leaf(name: "b", repetition: .optional, type: .int32, logical: .none),
        ])
        func code(_ body: () throws -> Void) -> ParquetError.Code? {
            do { try body() } catch let e as ParquetError { return e.code } catch { return nil }
            return nil
        }
        // Wrong column count.
        #expect(
            code {
                _ = try ParquetFileWriter.write(schema: schema, columns: [ColumnData(values: .int32([1]))], rowCount: 1)
            } == .invalidColumn)
        // Wrong type.
        #expect(
            code {
                _ = try ParquetFileWriter.write(
                    schema: schema, columns: [ColumnData(values: .int64([1])), ColumnData(values: .int32([1]))],
                    rowCount: 1)
            } == .invalidColumn)
        // Defined slots do not match values.
        #expect(
            code {
                _ = try ParquetFileWriter.write(
                    schema: schema,
                    columns: [
                        ColumnData(values: .int32([1, 2])),
                        ColumnData(values: .int32([1, 2]), definitionLevels: [1, 0]),
                    ], rowCount: 2)
            } == .invalidColumn)
        // Row count mismatch.
        #expect(
            code {
                _ = try ParquetFileWriter.write(
                    schema: schema, columns: [ColumnData(values: .int32([1])), ColumnData(values: .int32([1]))],
                    rowCount: 2)
            } == .invalidColumn)
        // Logical type that does not fit.
        let bad = ParquetSchema([.leaf(name: "s", repetition: .required, type: .int32, logical: .string)])
        #expect(
            code {
                _ = try ParquetFileWriter.write(schema: bad, columns: [ColumnData(values: .int32([1]))], rowCount: 1)
            } == .invalidSchema)
    }

    @Test func corruptFilesThrow() throws {
        let schema = ParquetSchema([.leaf(name: "a", repetition: .required, type: .int32, logical: .none)])
        let good = try ParquetFileWriter.write(
            schema: schema, columns: [ColumnData(values: .int32([1, 2, 3]))], rowCount: 3)
        func code(_ bytes: [UInt8]) -> ParquetError.Code? {
            do { _ = try ParquetFileReader(bytes: bytes).readColumn(0) } catch let e as ParquetError {
                return e.code
            } catch { return nil }
            return nil
        }
        #expect(code([1, 2, 3]) == .corruptFooter)
        var badMagic = good.bytes
        badMagic[badMagic.count - 1] = 0
        #expect(code(badMagic) == .corruptFooter)
        var badLength = good.bytes
        badLength[badLength.count - 6] = 0x7F
        #expect(code(badLength) == .corruptFooter)
        var truncatedFooter = good.bytes
        truncatedFooter.removeSubrange(truncatedFooter.count - 12..<truncatedFooter.count - 8)
        #expect(code(truncatedFooter) != nil)
        // Garbage in the page data must throw, not crash.
        var badPage = good.bytes
        for i in 4..<14 { badPage[i] = 0xFF }
        #expect(code(badPage) != nil)
        #expect(code(good.bytes) == nil)
    }

    @Test func keyValueMetadataRoundTrip() throws {
        let schema = ParquetSchema([.leaf(name: "a", repetition: .required, type: .int32, logical: .date)])
        let result = try ParquetFileWriter.write(
            schema: schema, columns: [ColumnData(values: .int32([19_000]))], rowCount: 1,
            keyValueMetadata: [("writer", "pulse"), ("ü", "")])
        let reader = try ParquetFileReader(bytes: result.bytes)
        #expect(reader.keyValueMetadata.map(\.0) == ["writer", "ü"])
        #expect(reader.keyValueMetadata.map(\.1) == ["pulse", ""])
    }
}

extension ParquetFileWriterTests {
    /// Seeded byte flips anywhere in a file (pages, headers, footer) must make the reader throw or return
    /// data, never trap.
    @Test func corruptedBytesNeverCrashTheReader() throws {
        let (schema, columns, rows) = Self.nestedTable()
        var options = ParquetWriterOptions()
        options.pageTargetBytes = 16
        let good = try ParquetFileWriter.write(schema: schema, columns: columns, rowCount: rows, options: options)
        let (flatSchema, flatColumns) = Self.randomFlatTable(rows: 50, seed: 9)
        let flat = try ParquetFileWriter.write(schema: flatSchema, columns: flatColumns, rowCount: 50)
        var rng = SeededGenerator(seed: 99)
        var failures = 0
        var successes = 0
        for file in [good.bytes, flat.bytes] {
            for _ in 0..<1_500 {
                var bytes = file
                for _ in 0..<Int(rng.next() % 3) + 1 {
                    let at = Int(rng.next() % UInt64(bytes.count))
                    bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                }
                do {
                    let reader = try ParquetFileReader(bytes: bytes)
                    for i in 0..<reader.schema.leaves.count {
                        _ = try reader.readColumn(i)
                        _ = try reader.statistics(i)
                    }
                    successes += 1
                } catch is ParquetError {
                    failures += 1
                }
            }
        }
        #expect(failures > 0 && successes > 0)
    }
}
