import Foundation
import Testing

@testable import PulseCore

/// Figures for the report, not pass conditions: run with PULSE_BENCH=1
/// (`PULSE_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter DeltaTableBenchmarks`).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["PULSE_BENCH"] != nil))
struct DeltaTableBenchmarks {
    static func milliseconds(_ start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }

    @Test func commitLatencyAndSnapshotLoad() throws {
        let directory = TemporaryDirectory("bench")
        defer { directory.remove() }
        let store = try LocalStore(root: directory.path)
        let rows = (0..<1000).map { i in
            Row(
                station: "S00\(i % 3)", city: "Boston", bikes: Int32(i), offset: Int64(i), rate: 0.5,
                eventTime: noon20 + Int64(i) * 1000, day: day20 + Int32(i % 2), ok: true)
        }
        let batch = makeBatch(rows)
        var report: [String] = []
        for (name, interval) in [("checkpoint every 10", Int64(10)), ("no checkpoint", Int64(1_000_000))] {
            let path = "t-\(interval)"
            let table = DeltaTable(store: store, path: path, checkpointInterval: interval)
            try table.createIfMissing(schema: allTypesSchema, partitionColumns: ["dt", "station_id"], name: "t")
            var appendTimes: [Double] = []
            for step in 1...100 {
                let start = ContinuousClock.now
                _ = try table.append(batch, transactions: ["bike-0": Int64(step)])
                appendTimes.append(Self.milliseconds(start))
            }
            var txnTimes: [Double] = []
            for step in 101...155 {
                let start = ContinuousClock.now
                _ = try table.append(.empty(schema: allTypesSchema), transactions: ["bike-0": Int64(step)])
                txnTimes.append(Self.milliseconds(start))
            }
            var loads: [Double] = []
            for _ in 0..<5 {
                let start = ContinuousClock.now
                let snapshot = try #require(
                    try DeltaTable(store: store, path: path, checkpointInterval: interval).snapshot())
                loads.append(Self.milliseconds(start))
                #expect(snapshot.version == 155)
            }
            var refreshes: [Double] = []
            for _ in 0..<20 {
                let start = ContinuousClock.now
                _ = try table.snapshot()
                refreshes.append(Self.milliseconds(start))
            }
            report.append(
                "\(name): append 1000 rows/6 files p50 \(Self.percentile(appendTimes, 0.5)) ms p90 "
                    + "\(Self.percentile(appendTimes, 0.9)) ms; txn-only commit p50 \(Self.percentile(txnTimes, 0.5)) ms; "
                    + "cold snapshot of 156 versions p50 \(Self.percentile(loads, 0.5)) ms; "
                    + "cached refresh p50 \(Self.percentile(refreshes, 0.5)) ms")
        }
        for line in report { print("BENCH " + line) }
    }
}
