import ArgumentParser
import Foundation
import PulseCore

/// `pulse-tui inspect`: what is in the lakehouse, read from the Delta logs alone (no broker needed):
/// per table its version, files, rows, bytes and per-partition progress.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Show the lakehouse's tables: version, files, rows, bytes, progress.")

    @OptionGroup var options: RunOptions

    @Flag(name: .customLong("json"), help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let config = try loadConfiguration(options)
        let store = try LakehouseStore.open(config)
        var tables: [[String: Any]] = []
        for definition in TableSchemas.all {
            guard let snapshot = try DeltaTable(store: store, path: definition.path).snapshot() else { continue }
            tables.append([
                "path": definition.path, "version": snapshot.version, "files": snapshot.fileCount,
                "rows": snapshot.rowCount, "bytes": snapshot.byteCount,
                "transactions": snapshot.transactions,
            ])
        }
        if json {
            let data = try JSONSerialization.data(
                withJSONObject: ["lakehouse": store.description, "tables": tables], options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("lakehouse \(store.description)")
        if tables.isEmpty {
            print("  no tables yet")
            return
        }
        print(
            "  " + "table".padding(toLength: 26, withPad: " ", startingAt: 0)
                + String(format: "%8@ %8@ %12@ %12@  %@", "version", "files", "rows", "bytes", "progress (next offset)"))
        for t in tables {
            let progress = (t["transactions"] as? [String: Int64] ?? [:]).sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            print(
                "  " + (t["path"] as! String).padding(toLength: 26, withPad: " ", startingAt: 0)
                    + String(
                        format: "%8lld %8ld %12lld %12@  %@", t["version"] as! Int64, t["files"] as! Int,
                        t["rows"] as! Int64, ByteCount.format(t["bytes"] as! Int64), progress))
        }
    }
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
