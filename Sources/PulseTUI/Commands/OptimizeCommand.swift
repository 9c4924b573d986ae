import ArgumentParser
import PulseCore

/// `pulse-tui optimize`: compacts every table of the lakehouse now (every partition with two or more small
/// files), as the engine's background compaction would over time. Safe while an engine writes: compaction
/// commits only remove + add of the same rows, and loses cleanly to a concurrent compaction.
struct OptimizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize", _superCommandName: "pulse-tui",
        abstract: "Compact the lakehouse's tables now: fewer, bigger files, sorted by station.",
        version: PulseVersion.description)

    @OptionGroup(title: "Lakehouse") var lakehouse: LakehouseOptions

    @Option(
        name: .customLong("target-rows"),
        help: "Rows per compacted file at most (default 16384); smaller files let readers skip more by station.")
    var targetRows: Int64 = CompactionPolicy().targetRows

    func validate() throws {
        guard (16...100_000_000).contains(targetRows) else {
            throw ValidationError("--target-rows must be an integer from 16 to 100000000")
        }
    }

    func run() throws {
        let config = try loadConfiguration(lakehouse)
        let store: any ObjectStore
        do {
            store = try LakehouseStore.open(config, create: false)
        } catch let error as StorageError where error.code == .notFound {
            throw InspectFailure(message: "no lakehouse at \(config.lakehouse) (no such directory)")
        }
        print("lakehouse \(store.description)")
        var found = false
        for definition in TableSchemas.all {
            let table = DeltaTable(store: store, path: definition.path)
            guard let before = try table.snapshot() else { continue }
            found = true
            var total = CompactionResult()
            // A round reads a bounded number of rows per partition: repeat until nothing is left to merge.
            while true {
                var policy = CompactionPolicy()
                policy.targetRows = targetRows
                policy.smallRows = max(1, targetRows / 2)
                let result = try table.compact(sortColumns: definition.sortColumns, policy: policy, force: true)
                guard result.version != nil else {
                    total.unreadableFiles = result.unreadableFiles
                    break
                }
                total.partitions += result.partitions
                total.filesRemoved += result.filesRemoved
                total.filesAdded += result.filesAdded
                total.rows += result.rows
            }
            let after = try table.snapshot()?.fileCount ?? before.fileCount
            var line = "  \(definition.path): \(before.fileCount) files -> \(after)"
            if total.filesRemoved > 0 {
                line += " (merged \(total.filesRemoved) into \(total.filesAdded), \(total.rows) rows)"
            }
            if total.unreadableFiles > 0 { line += ", \(total.unreadableFiles) files left alone (unreadable here)" }
            print(line)
        }
        guard found else { throw InspectFailure(message: "no lakehouse at \(store.description) (no tables)") }
    }
}
