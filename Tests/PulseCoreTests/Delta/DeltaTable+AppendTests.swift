import Foundation
import Synchronization
import Testing

@testable import PulseCore

@Suite struct DeltaTableAppendTests {
    @Test func writesOneFilePerPartitionWithoutPartitionColumns() throws {
        let directory = TemporaryDirectory("append")
        defer { directory.remove() }
        let store = try LocalStore(root: directory.path)
        let table = DeltaTable(store: store, path: "silver/bike_events")
        try table.createIfMissing(schema: allTypesSchema, partitionColumns: ["dt", "station_id"], name: "b")
        let rows = InteropTests.rows(commit: 1)
        let result = try table.append(makeBatch(rows), transactions: ["bike-0": 120])
        #expect(result.version == 1)
        #expect(result.filesAdded == 6)
        #expect(result.rowsAdded == 20)
        let snapshot = try #require(try table.snapshot())
        #expect(snapshot.rowCount == 20)
        #expect(snapshot.byteCount == result.bytesAdded)
        let odd = try #require(snapshot.files.values.first { $0.partitionValues["station_id"] == "S 0/1=x%" })
        #expect(odd.path.hasPrefix("dt=2025-08-2"))
        #expect(odd.path.contains("/station_id=S%25200%252F1%253Dx%2525/part-"))
        #expect(odd.path.hasSuffix(".c000.zstd.parquet"))
        // The file is where the decoded path says, and holds only the non-partition columns.
        let key = "silver/bike_events/" + PartitionPath.relativePath(logPath: odd.path)
        let reader = try ParquetFileReader(bytes: try store.get(key))
        #expect(
            reader.schema.leaves.map(\.path) == [["city"], ["bikes"], ["offset"], ["rate"], ["event_time"], ["ok"]])
        #expect(reader.rowCount == odd.numRecords)
        guard case .int64(let offsets) = try reader.readColumn(2).values else {
            Issue.record("offset is not int64")
            return
        }
        let expected = rows.filter {
            $0.station == "S 0/1=x%" && EventTime.dateString(days: Int64($0.day)) == odd.partitionValues["dt"]
        }
        #expect(offsets == expected.map(\.offset))
    }

    @Test func twoThreadsAppendingDataLoseNothing() throws {
        let directory = TemporaryDirectory("append")
        defer { directory.remove() }
        let store = try LocalStore(root: directory.path)
        try DeltaTable(store: store, path: "t").createIfMissing(
            schema: allTypesSchema, partitionColumns: ["dt"], name: "t")
        let commitsPerWriter = 12
        let writers = [DeltaTable(store: store, path: "t"), DeltaTable(store: store, path: "t")]
        let failures = Mutex<[String]>([])
        let versions = Mutex<[Int64]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            for step in 1...commitsPerWriter {
                do {
                    var rows = InteropTests.rows(commit: writer * 1000 + step)
                    rows = Array(rows.prefix(10))
                    let result = try writers[writer].append(makeBatch(rows), transactions: ["w-\(writer)": Int64(step)])
                    versions.withLock { $0.append(result.version) }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        #expect(versions.withLock { $0 }.sorted() == Array(1...Int64(2 * commitsPerWriter)))
        let snapshot = try #require(try DeltaTable(store: store, path: "t").snapshot())
        #expect(snapshot.version == Int64(2 * commitsPerWriter))
        #expect(snapshot.rowCount == Int64(2 * commitsPerWriter * 10))
        #expect(snapshot.transactions == ["w-0": Int64(commitsPerWriter), "w-1": Int64(commitsPerWriter)])
        #expect(writers.allSatisfy { $0.lastCheckpointError == nil })
    }

    @Test func appendsRaceADeltaRsWriterInAnotherProcess() throws {
        let directory = TemporaryDirectory("append")
        defer { directory.remove() }
        let store = try LocalStore(root: directory.path)
        let table = DeltaTable(store: store, path: "shared")
        try table.createIfMissing(schema: allTypesSchema, partitionColumns: ["dt", "station_id"], name: "shared")

        let pythonCommits = 15
        let process = Process()
        process.executableURL = URL(fileURLWithPath: InteropTests.python)
        process.arguments = [
            InteropTests.packageRoot + "/Tests/Interop/concurrent_writer.py", directory.path + "/shared",
            "\(pythonCommits)", "py-0",
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        var output = ""
        while !output.contains("start") {
            let data = pipe.fileHandleForReading.availableData
            if data.isEmpty { break }
            output += String(decoding: data, as: UTF8.self)
        }
        let swiftCommits = 15
        var failures: [String] = []
        for step in 1...swiftCommits {
            do {
                _ = try table.append(
                    makeBatch(Array(InteropTests.rows(commit: step).prefix(10))), transactions: ["swift-0": Int64(step)]
                )
            } catch {
                failures.append("\(error)")
            }
        }
        output += String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(failures.isEmpty)

        let snapshot = try #require(try DeltaTable(store: store, path: "shared").snapshot())
        #expect(snapshot.version == Int64(pythonCommits + swiftCommits))
        #expect(
            try TransactionLog(store: store, tablePath: "shared").listVersions().commits == Array(0...snapshot.version))
        #expect(snapshot.transactions == ["py-0": Int64(pythonCommits), "swift-0": Int64(swiftCommits)])
        #expect(snapshot.rowCount == Int64(10 * pythonCommits + 10 * swiftCommits))
        #expect(snapshot.filesWithoutStats == 0)
    }
}
