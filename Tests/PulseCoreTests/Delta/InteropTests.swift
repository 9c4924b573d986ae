import Foundation
import Testing

@testable import PulseCore

/// Independent readers (delta-rs, DuckDB, pyarrow) check tables we write: Tests/Interop/check_delta_table.py.
@Suite struct InteropTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    static var python: String {
        ProcessInfo.processInfo.environment["PULSE_PYTHON"] ?? packageRoot + "/.venv/bin/python"
    }

    /// Runs a Python script of Tests/Interop; returns exit status and combined output.
    static func runPython(_ script: String, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [packageRoot + "/Tests/Interop/" + script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    static let stations = ["S001", "S002", "S 0/1=x%"]

    static func rows(commit: Int) -> [Row] {
        (0..<20).map { i in
            Row(
                station: stations[i % 3],
                city: i % 5 == 0 ? nil : ["Boston", "Åcton"][i % 2],
                bikes: i % 7 == 0 ? nil : Int32(i - 3),
                offset: Int64(commit * 100 + i),
                rate: i % 4 == 0 ? nil : Double(i) / 8,
                eventTime: i % 6 == 0 ? nil : noon20 + Int64(commit * 1_000_000 + i * 1234),
                day: day20 + Int32(i % 2),
                ok: i % 3 == 0 ? nil : i % 2 == 0)
        }
    }

    @Test func partitionedTableWithCheckpointReadsBackInDeltaRsAndDuckDB() throws {
        let directory = TemporaryDirectory("interop")
        // PULSE_KEEP_TABLES=1 keeps the table for a look with other tools.
        defer { if ProcessInfo.processInfo.environment["PULSE_KEEP_TABLES"] == nil { directory.remove() } }
        let store = try LocalStore(root: directory.path)
        let table = DeltaTable(store: store, path: "silver/bike_events")
        try table.createIfMissing(schema: allTypesSchema, partitionColumns: ["dt", "station_id"], name: "bike_events")

        var all: [Row] = []
        var transactions: [String: Int64] = [:]
        for commit in 1...14 {
            if commit == 7 {
                _ = try table.append(.empty(schema: allTypesSchema), transactions: ["weather-0": 5])
                transactions["weather-0"] = 5
                continue
            }
            let rows = Self.rows(commit: commit)
            let appId = "bike-\(commit % 2)"
            let result = try table.append(makeBatch(rows), transactions: [appId: Int64(commit * 100 + 20)])
            #expect(result.version == Int64(commit))
            #expect(result.rowsAdded == 20)
            #expect(result.filesAdded == 6)
            transactions[appId] = Int64(commit * 100 + 20)
            all += rows
        }
        #expect(table.lastCheckpointError == nil)
        #expect(table.checkpointsWritten == 1)

        var partitionCounts: [String: Int] = [:]
        for row in all {
            partitionCounts[EventTime.dateString(days: Int64(row.day)) + "|" + row.station, default: 0] += 1
        }
        let snapshot = try #require(try table.snapshot())
        let eventTimes = all.compactMap(\.eventTime)
        let expected: [String: Any] = [
            "version": 14,
            "rows": all.count,
            "files": snapshot.fileCount,
            "columns": allTypesSchema.fields.map { [$0.name, $0.type.rawValue] },
            "partition_columns": ["dt", "station_id"],
            "transactions": transactions,
            "partition_counts": partitionCounts.keys.sorted().map { key -> [String: Any] in
                let parts = key.split(separator: "|", maxSplits: 1).map(String.init)
                return ["dt": parts[0], "station_id": parts[1], "rows": partitionCounts[key]!]
            },
            "null_counts": [
                "city": all.filter { $0.city == nil }.count, "bikes": all.filter { $0.bikes == nil }.count,
                "rate": all.filter { $0.rate == nil }.count, "event_time": all.filter { $0.eventTime == nil }.count,
                "ok": all.filter { $0.ok == nil }.count, "offset": 0,
            ],
            "sums": [
                "offset": all.reduce(0) { $0 + $1.offset }, "bikes": all.compactMap(\.bikes).reduce(0) { $0 + Int($1) },
            ],
            "min_max": [
                "event_time": [eventTimes.min()!, eventTimes.max()!],
                "dt": [EventTime.dateString(days: Int64(day20)), EventTime.dateString(days: Int64(day20) + 1)],
            ],
            "filter": ["column": "offset", "above": 1010, "rows": all.filter { $0.offset > 1010 }.count],
            "checkpoint_version": 10,
        ]
        #expect(snapshot.rowCount == Int64(all.count))
        let expectedPath = directory.path + "/EXPECTED.json"
        try JSONSerialization.data(withJSONObject: expected, options: [.sortedKeys]).write(
            to: URL(fileURLWithPath: expectedPath))

        let (status, output) = try Self.runPython(
            "check_delta_table.py", [directory.path + "/silver/bike_events", expectedPath])
        #expect(status == 0, "\(output)")
        #expect(output.contains("all checks passed"), "\(output)")
    }
}
