import Foundation
import Testing

@testable import PulseCore

/// Writes seeded random files plus an expected-values manifest, then lets independent readers (pyarrow,
/// DuckDB) check them through Tests/Interop/check_parquet.py. Fails when the script fails.
@Suite struct ParquetInteropTests {
    /// Package root: the nearest directory above this file that holds Package.swift.
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/", !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path)
        {
            url = url.deletingLastPathComponent()
        }
        return url
    }()

    static var python: String {
        ProcessInfo.processInfo.environment["PULSE_PYTHON"]
            ?? packageRoot.appendingPathComponent(".venv/bin/python").path
    }

    // MARK: Manifest JSON (hand-built so NaN/-0.0/Int64 extremes are exact)

    static func json(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func json(_ v: StatValue?) -> String {
        guard let v else { return "null" }
        switch v {
        case .boolean(let b): return b ? "true" : "false"
        case .int32(let x): return "\(x)"
        case .int64(let x): return "\(x)"
        case .double(let d): return json("0x" + String(d.bitPattern, radix: 16))
        case .bytes(let b): return json(String(decoding: b, as: UTF8.self))
        }
    }

    /// Expected values of a flat column with `null` for undefined slots.
    static func jsonValues(_ c: ColumnData) -> String {
        var items: [String] = []
        var next = 0
        func value(_ i: Int) -> String {
            switch c.values {
            case .boolean(let v): v[i] ? "true" : "false"
            case .int32(let v): "\(v[i])"
            case .int64(let v): "\(v[i])"
            case .double(let v): json("0x" + String(v[i].bitPattern, radix: 16))
            case .byteArray(let v): json(v.string(at: i))
            }
        }
        for slot in 0..<c.slotCount {
            if let def = c.definitionLevels, def[slot] == 0 {
                items.append("null")
            } else {
                items.append(value(next))
                next += 1
            }
        }
        return "[" + items.joined(separator: ",") + "]"
    }

    // MARK: Data

    /// A flat table of every supported type, seeded.
    static func flatTable(rows: Int, seed: UInt64) -> (ParquetSchema, [ColumnData], kinds: [String]) {
        var rng = SeededGenerator(seed: seed)
        let words = ["", "a", "b", "Zürich", "東京", "🚲 bike", "quote\"and\\slash", "tab\there"]
        var b: [Bool] = [], i32: [Int32] = [], i64: [Int64] = [], dbl: [Double] = []
        var s = ByteArrayColumn(), os = ByteArrayColumn(), osDef: [UInt8] = []
        var ts: [Int64] = [], tsDef: [UInt8] = [], date: [Int32] = [], part: [Int32] = []
        var od: [Double] = [], odDef: [UInt8] = []
        let specialDoubles: [Double] = [.nan, -0.0, 0.0, .infinity, -.infinity, .greatestFiniteMagnitude, 1e-300]
        for r in 0..<rows {
            b.append(rng.next() % 2 == 0)
            i32.append(r == 1 ? .min : r == 2 ? .max : Int32(truncatingIfNeeded: rng.next()))
            i64.append(r == 3 ? .min : r == 4 ? .max : Int64(bitPattern: rng.next()) >> Int64(rng.next() % 60))
            dbl.append(
                r < specialDoubles.count ? specialDoubles[r] : Double(Int64(bitPattern: rng.next()) % 10_000_000) / 64)
            s.append(words[Int(rng.next() % UInt64(words.count))] + (rng.next() % 4 == 0 ? String(r) : ""))
            if rng.next() % 5 == 0 { osDef.append(0) } else { osDef.append(1); os.append(words[Int(rng.next() % 4)]) }
            if rng.next() % 7 == 0 {
                tsDef.append(0)
            } else {
                tsDef.append(1)
                ts.append(1_700_000_000_000_000 + Int64(rng.next() % 10_000_000_000))
            }
            date.append(19_000 + Int32(rng.next() % 500))
            part.append(Int32(rng.next() % 3))
            if rng.next() % 3 == 0 {
                odDef.append(0)
            } else {
                odDef.append(1); od.append(Double(rng.next() % 1000) - 500.5)
            }
        }
        let schema = ParquetSchema([
            .leaf(name: "b", repetition: .required, type: .boolean, logical: .none),
            .leaf(name: "i32", repetition: .required, type: .int32, logical: .none),
            .leaf(name: "i64", repetition: .required, type: .int64, logical: .none),
            .leaf(name: "d", repetition: .required, type: .double, logical: .none),
            .leaf(name: "s", repetition: .required, type: .byteArray, logical: .string),
            .leaf(name: "os", repetition: .optional, type: .byteArray, logical: .string),
            .leaf(name: "ts", repetition: .optional, type: .int64, logical: .timestampMicrosUTC),
            .leaf(name: "dt", repetition: .required, type: .int32, logical: .date),
            .leaf(name: "partition", repetition: .required, type: .int32, logical: .none),
            .leaf(name: "od", repetition: .optional, type: .double, logical: .none),
        ])
        let columns = [
            ColumnData(values: .boolean(b)), ColumnData(values: .int32(i32)), ColumnData(values: .int64(i64)),
            ColumnData(values: .double(dbl)), ColumnData(values: .byteArray(s)),
            ColumnData(values: .byteArray(os), definitionLevels: osDef),
            ColumnData(values: .int64(ts), definitionLevels: tsDef), ColumnData(values: .int32(date)),
            ColumnData(values: .int32(part)), ColumnData(values: .double(od), definitionLevels: odDef),
        ]
        let kinds = ["bool", "int32", "int64", "double", "string", "string", "timestamp", "date", "int32", "double"]
        return (schema, columns, kinds)
    }

    /// Delta-checkpoint-like nested rows: struct, map<string,string>, list<string>, seeded. Returns the columns
    /// and each row's expected value as JSON.
    static func nestedTable(rows: Int, seed: UInt64) -> (ParquetSchema, [ColumnData], expected: [String: [String]]) {
        var rng = SeededGenerator(seed: seed)
        let schema = ParquetSchema([
            .leaf(name: "id", repetition: .required, type: .int64, logical: .none),
            .group(
                name: "add", repetition: .optional, logical: .none,
                children: [
                    .leaf(name: "path", repetition: .required, type: .byteArray, logical: .string),
                    .leaf(name: "size", repetition: .optional, type: .int64, logical: .none),
                ]),
            .map(
                name: "partitionValues",
                key: .leaf(name: "key", repetition: .required, type: .byteArray, logical: .string),
                value: .leaf(name: "value", repetition: .optional, type: .byteArray, logical: .string)),
            .list(
                name: "partitionColumns",
                element: .leaf(name: "element", repetition: .optional, type: .byteArray, logical: .string)),
        ])
        var id: [Int64] = []
        var path = ByteArrayColumn(), pathDef: [UInt8] = []
        var size: [Int64] = [], sizeDef: [UInt8] = []
        var key = ByteArrayColumn(), keyDef: [UInt8] = [], keyRep: [UInt8] = []
        var value = ByteArrayColumn(), valueDef: [UInt8] = [], valueRep: [UInt8] = []
        var element = ByteArrayColumn(), elementDef: [UInt8] = [], elementRep: [UInt8] = []
        var expected: [String: [String]] = ["id": [], "add": [], "partitionValues": [], "partitionColumns": []]
        for r in 0..<rows {
            id.append(Int64(r))
            expected["id"]!.append("\(r)")
            // struct
            switch rng.next() % 4 {
            case 0:
                pathDef.append(0); sizeDef.append(0)
                expected["add"]!.append("null")
            default:
                let p = "dt=2024-0\(r % 9 + 1)-01/part-\(r)-ü.parquet"
                path.append(p); pathDef.append(1)
                if rng.next() % 3 == 0 {
                    sizeDef.append(1)
                    expected["add"]!.append("{\"path\":\(json(p)),\"size\":null}")
                } else {
                    let sz = Int64(rng.next() % 1_000_000)
                    size.append(sz); sizeDef.append(2)
                    expected["add"]!.append("{\"path\":\(json(p)),\"size\":\(sz)}")
                }
            }
            // map
            let mapKind = rng.next() % 5
            if mapKind == 0 {
                keyDef.append(0); keyRep.append(0); valueDef.append(0); valueRep.append(0)
                expected["partitionValues"]!.append("null")
            } else if mapKind == 1 {
                keyDef.append(1); keyRep.append(0); valueDef.append(1); valueRep.append(0)
                expected["partitionValues"]!.append("[]")
            } else {
                let n = Int(rng.next() % 3) + 1
                var pairs: [String] = []
                for k in 0..<n {
                    let kk = ["dt", "station_id", "city", "ключ"][k]
                    key.append(kk); keyDef.append(2); keyRep.append(k == 0 ? 0 : 1)
                    valueRep.append(k == 0 ? 0 : 1)
                    if rng.next() % 4 == 0 {
                        valueDef.append(2)
                        pairs.append("[\(json(kk)),null]")
                    } else {
                        let vv = "v\(rng.next() % 50)"
                        value.append(vv); valueDef.append(3)
                        pairs.append("[\(json(kk)),\(json(vv))]")
                    }
                }
                expected["partitionValues"]!.append("[" + pairs.joined(separator: ",") + "]")
            }
            // list
            let listKind = rng.next() % 5
            if listKind == 0 {
                elementDef.append(0); elementRep.append(0)
                expected["partitionColumns"]!.append("null")
            } else if listKind == 1 {
                elementDef.append(1); elementRep.append(0)
                expected["partitionColumns"]!.append("[]")
            } else {
                let n = Int(rng.next() % 4) + 1
                var items: [String] = []
                for k in 0..<n {
                    elementRep.append(k == 0 ? 0 : 1)
                    if rng.next() % 5 == 0 {
                        elementDef.append(2)
                        items.append("null")
                    } else {
                        let e = ["dt", "station_id", "", "日付"][Int(rng.next() % 4)]
                        element.append(e); elementDef.append(3)
                        items.append(json(e))
                    }
                }
                expected["partitionColumns"]!.append("[" + items.joined(separator: ",") + "]")
            }
        }
        let columns = [
            ColumnData(values: .int64(id)),
            ColumnData(values: .byteArray(path), definitionLevels: pathDef),
            ColumnData(values: .int64(size), definitionLevels: sizeDef),
            ColumnData(values: .byteArray(key), definitionLevels: keyDef, repetitionLevels: keyRep),
            ColumnData(values: .byteArray(value), definitionLevels: valueDef, repetitionLevels: valueRep),
            ColumnData(values: .byteArray(element), definitionLevels: elementDef, repetitionLevels: elementRep),
        ]
        return (schema, columns, expected)
    }

    // MARK: Test

    @Test func pyarrowAndDuckDBReadWhatWeWrite() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "pulse-parquet-interop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        var files: [String] = []
        func flatFile(_ name: String, rows: Int, seed: UInt64, options: ParquetWriterOptions, duckdb: Bool) throws {
            let (schema, columns, kinds) = Self.flatTable(rows: rows, seed: seed)
            let result = try ParquetFileWriter.write(schema: schema, columns: columns, rowCount: rows, options: options)
            try Data(result.bytes).write(to: dir.appendingPathComponent(name))
            var cols: [String] = []
            for (i, leaf) in schema.leaves.enumerated() {
                let st = result.columnStatistics[i]
                cols.append(
                    """
                    {"name":\(Self.json(leaf.path[0])),"kind":"\(kinds[i])","values":\(Self.jsonValues(columns[i])),\
                    "stats":{"null_count":\(st.nullCount),"min":\(Self.json(st.min)),"max":\(Self.json(st.max))}}
                    """)
            }
            files.append(
                """
                {"path":\(Self.json(name)),"rows":\(rows),"row_groups":\(result.rowGroupCount),"duckdb":\(duckdb),\
                "columns":[\(cols.joined(separator: ","))],"nested":[]}
                """)
        }
        var multi = ParquetWriterOptions()
        multi.rowGroupTargetBytes = 40_000
        multi.pageTargetBytes = 4_000
        try flatFile("flat_multi_rowgroup.parquet", rows: 5_000, seed: 1, options: multi, duckdb: true)
        var plain = ParquetWriterOptions()
        plain.compression = .uncompressed
        plain.dictionaryEnabled = false
        try flatFile("flat_plain_uncompressed.parquet", rows: 1_000, seed: 2, options: plain, duckdb: false)
        var fallback = ParquetWriterOptions()
        fallback.maxDictionaryBytes = 200
        fallback.compression = .zstd(level: 9)
        try flatFile("flat_dictionary_fallback.parquet", rows: 3_000, seed: 3, options: fallback, duckdb: false)

        var nestedOptions = ParquetWriterOptions()
        nestedOptions.rowGroupTargetBytes = 10_000
        nestedOptions.pageTargetBytes = 1_000
        let rows = 2_000
        let (schema, columns, expected) = Self.nestedTable(rows: rows, seed: 4)
        let nested = try ParquetFileWriter.write(
            schema: schema, columns: columns, rowCount: rows, options: nestedOptions,
            keyValueMetadata: [("pulse", "nested")])
        #expect(nested.rowGroupCount > 1)
        try Data(nested.bytes).write(to: dir.appendingPathComponent("nested.parquet"))
        let nestedColumns = ["id", "add", "partitionValues", "partitionColumns"].map { name in
            "{\"name\":\"\(name)\",\"values\":[\(expected[name]!.joined(separator: ","))]}"
        }
        files.append(
            """
            {"path":"nested.parquet","rows":\(rows),"row_groups":\(nested.rowGroupCount),"duckdb":true,\
            "columns":[],"nested":[\(nestedColumns.joined(separator: ","))]}
            """)

        let manifest = "{\"files\":[\(files.joined(separator: ",\n"))]}"
        try manifest.write(to: dir.appendingPathComponent("expected.json"), atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = [Self.packageRoot.appendingPathComponent("Tests/Interop/check_parquet.py").path, dir.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "check_parquet.py failed:\n\(output)")
        #expect(output.contains("OK"), "check_parquet.py output:\n\(output)")
    }
}

extension ParquetInteropTests {
    /// Runs check_parquet.py with `arguments`; returns (exit status, combined output).
    static func runCheckScript(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [packageRoot.appendingPathComponent("Tests/Interop/check_parquet.py").path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    /// Our reader on files pyarrow wrote (v2 data pages, pyarrow's dictionaries, RLE booleans, zstd) from our data.
    @Test func readerReadsPyarrowRewrites() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "pulse-parquet-rewrite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let flat = Self.flatTable(rows: 3_000, seed: 11)
        let nested = Self.nestedTable(rows: 1_500, seed: 12)
        for (name, schema, columns, rows) in [("flat", flat.0, flat.1, 3_000), ("nested", nested.0, nested.1, 1_500)] {
            let ours = dir.appendingPathComponent("\(name).parquet")
            let theirs = dir.appendingPathComponent("\(name)-pyarrow.parquet")
            let written = try ParquetFileWriter.write(schema: schema, columns: columns, rowCount: rows)
            try Data(written.bytes).write(to: ours)
            let (status, output) = try Self.runCheckScript(["--rewrite", ours.path, theirs.path])
            try #require(status == 0, "rewrite failed: \(output)")
            let reader = try ParquetFileReader(bytes: [UInt8](try Data(contentsOf: theirs)))
            #expect(reader.rowCount == Int64(rows))
            #expect(reader.rowGroupCount == 3)
            #expect(reader.schema.leaves == schema.leaves)
            for (i, leaf) in schema.leaves.enumerated() {
                let back = try reader.readColumn(i)
                let expected = ParquetFileWriterTests.normalized(columns[i], leaf)
                #expect(back.definitionLevels == expected.definitionLevels, "\(name) def \(leaf.path)")
                #expect(back.repetitionLevels == expected.repetitionLevels, "\(name) rep \(leaf.path)")
                if case .double(let a) = back.values, case .double(let b) = expected.values {
                    #expect(a.map(\.bitPattern) == b.map(\.bitPattern), "\(name) \(leaf.path)")
                } else {
                    #expect(back.values == expected.values, "\(name) values \(leaf.path)")
                }
                #expect(
                    try reader.statistics(i).nullCount == written.columnStatistics[i].nullCount,
                    "\(name) nulls \(leaf.path)")
            }
        }
    }
}
