import ArgumentParser
import Foundation
import PulseCore

/// `pulse-tui inspect`: what is in the lakehouse, read from the Delta logs alone (no broker needed):
/// per table its version, files, rows, bytes and per-partition progress, and every gap (records the
/// broker lost before they were read). A lakehouse that does not exist is an error (exit 1).
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", _superCommandName: "pulse-tui",
        abstract: "Show the lakehouse's tables: version, files, rows, bytes, progress, gaps.",
        version: PulseVersion.description)

    @OptionGroup(title: "Lakehouse") var lakehouse: LakehouseOptions

    @Flag(name: .customLong("json"), help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let config = try loadConfiguration(lakehouse)
        let store: any ObjectStore
        do {
            store = try LakehouseStore.open(config, create: false)
        } catch let error as StorageError where error.code == .notFound {
            throw InspectFailure(message: "no lakehouse at \(config.lakehouse) (no such directory)")
        }
        var tables: [[String: Any]] = []
        for definition in TableSchemas.all {
            guard let snapshot = try DeltaTable(store: store, path: definition.path).snapshot() else { continue }
            let progress = snapshot.transactions.filter { !$0.key.hasPrefix("window-end-") }
            let windowEnds = snapshot.transactions.filter { $0.key.hasPrefix("window-end-") }
            var committers: [String: Any] = [:]
            // Bronze names who committed each partition's progress last (every table of a batch is committed
            // by the same engine): several engines of a consumer group share the partitions.
            if definition.path.hasPrefix("bronze/") {
                let appIds = Set(progress.keys.filter { !$0.hasPrefix("broker-") })
                let table = DeltaTable(store: store, path: definition.path)
                for (appId, last) in try table.lastCommitters(of: appIds) {
                    committers[appId] = [
                        "writer": last.writer ?? "unknown", "version": last.version,
                        "at": last.timestampMillis.map { EventTime.format(micros: $0 * 1000) } ?? "unknown",
                    ]
                }
            }
            tables.append([
                "path": definition.path, "version": snapshot.version, "files": snapshot.fileCount,
                "rows": snapshot.rowCount, "bytes": snapshot.byteCount,
                "partitionColumns": snapshot.partitionColumns, "transactions": progress,
                "windowEnds": windowEnds.mapValues { EventTime.format(micros: $0) }, "lastCommitters": committers,
            ])
        }
        guard !tables.isEmpty else {
            throw InspectFailure(message: "no lakehouse at \(store.description) (no tables)")
        }
        let gapLog = GapLog(store: store)
        var gaps: [[String: Any]] = []
        for topic in [config.bikeTopic, config.weatherTopic] {
            for gap in try gapLog.entries(topic: topic) {
                gaps.append([
                    "topic": gap.topic, "partition": gap.partition, "epoch": gap.epoch, "clusterId": gap.clusterID,
                    "from": gap.from, "to": gap.to, "missing": gap.missing,
                    "detectedAt": EventTime.format(micros: gap.detectedMicros),
                ])
            }
        }
        if json {
            let data = try JSONSerialization.data(
                withJSONObject: ["lakehouse": store.description, "tables": tables, "gaps": gaps],
                options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("lakehouse \(store.description)")
        let header = ["table", "version", "files", "rows", "bytes"]
        let rows = tables.map { t -> [String] in
            [
                t["path"] as! String, String(t["version"] as! Int64), String(t["files"] as! Int),
                String(t["rows"] as! Int64), ByteCount.format(t["bytes"] as! Int64),
            ]
        }
        let widths = header.indices.map { i in ([header[i]] + rows.map { $0[i] }).map(\.count).max()! }
        func line(_ cells: [String]) -> String {
            "  "
                + cells.enumerated().map { i, cell in
                    i == 0
                        ? cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                        : String(repeating: " ", count: widths[i] - cell.count) + cell
                }.joined(separator: "  ")
        }
        print(line(header) + "  progress (next offset per partition)")
        for (t, cells) in zip(tables, rows) {
            let progress = (t["transactions"] as? [String: Int64] ?? [:]).sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            print(line(cells) + "  " + progress)
        }
        for t in tables {
            guard let committers = t["lastCommitters"] as? [String: [String: Any]], !committers.isEmpty else {
                continue
            }
            print("last committer per partition of \(t["path"]!):")
            for (appId, last) in committers.sorted(by: { ($0.key.count, $0.key) < ($1.key.count, $1.key) }) {
                print("  \(appId): \(last["writer"]!) (version \(last["version"]!), \(last["at"]!))")
            }
        }
        if gaps.isEmpty {
            print("no gaps: every offset the broker had was read")
        } else {
            print("GAPS: records the broker dropped before they were read")
            for gap in gaps {
                print(
                    "  \(gap["topic"]!)[\(gap["partition"]!)] epoch \(gap["epoch"]!): offsets \(gap["from"]!)..<\(gap["to"]!) "
                        + "(\(gap["missing"]!) records), found \(gap["detectedAt"]!)")
            }
        }
    }
}

/// `inspect` found nothing to show (exit 1, without the usage hint).
struct InspectFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Human-readable byte counts for tables and panels.
enum ByteCount {
    static func format(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}
