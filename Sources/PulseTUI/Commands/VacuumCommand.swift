import ArgumentParser
import Foundation
import PulseCore

/// `pulse-tui vacuum`: deletes, in every table of the lakehouse, the data files no version within the
/// retention needs (`DeltaTable.vacuum`) and the `_delta_log` files past each table's log retention
/// (`LogRetention`), and prints per table what it removed and kept. Safe while engines write the tables.
/// A retention under Delta's 7 days is refused unless `--force`: readers of older versions and writers
/// with uncommitted files rely on it.
struct VacuumCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vacuum", _superCommandName: "pulse-tui",
        abstract: "Delete data files no table version within the retention needs, and expired log files.",
        discussion: """
            A data file still in the current version is kept; one removed from the table is kept until its \
            removal is older than the retention; one no version names is deleted once it is older than the \
            retention (and than 1 hour, as a concurrent writer may be about to commit it). Without \
            --retain-hours each table's delta.deletedFileRetentionDuration applies (default 168 hours). Log \
            files follow each table's delta.logRetentionDuration (default 30 days) whatever --retain-hours says.
            """, version: PulseVersion.description)

    /// Delta's default retention, and the shortest one accepted without `--force`.
    static let minimumHoursWithoutForce = 168.0

    @OptionGroup(title: "Lakehouse") var lakehouse: LakehouseOptions

    @Option(
        name: .customLong("retain-hours"),
        help: "Keep files needed by any version of the last N hours (default: each table's retention, 168 h).")
    var retainHours: Double?

    @Flag(name: .customLong("dry-run"), help: "Print what would be deleted; delete nothing.")
    var dryRun = false

    @Flag(name: .customLong("force"), help: "Allow --retain-hours below 168.")
    var force = false

    func validate() throws {
        guard let retainHours else { return }
        guard retainHours.isFinite, retainHours >= 0, retainHours <= 1_000_000 else {
            throw ValidationError("--retain-hours must be a number of hours from 0 to 1000000")
        }
        if retainHours < Self.minimumHoursWithoutForce && !force {
            throw ValidationError(
                "--retain-hours \(Self.format(hours: retainHours)) is below 168 hours, so readers of older versions "
                    + "and writers with uncommitted files may lose files they need; pass --force to vacuum anyway")
        }
    }

    func run() throws {
        let config = try loadConfiguration(lakehouse)
        let objectStore: any ObjectStore
        do {
            objectStore = try LakehouseStore.open(config, create: false)
        } catch let error as StorageError where error.code == .notFound {
            throw VacuumFailure(message: "no lakehouse at \(config.lakehouse) (no such directory)")
        }
        let retentionMillis = retainHours.map { Int64(($0 * 3_600_000).rounded()) }
        let now = WallClock.nowMilliseconds()
        let retentionText =
            retainHours.map { "\(Self.format(hours: $0)) h" + ($0 < Self.minimumHoursWithoutForce ? " (forced)" : "") }
            ?? "each table's delta.deletedFileRetentionDuration (default 168 h)"
        print(
            "vacuum \(objectStore.description): data files retained \(retentionText); log files by each table's "
                + "delta.logRetentionDuration (default 720 h)" + (dryRun ? "; dry run: nothing is deleted" : ""))
        var tables = 0
        var failures = 0
        var removedFiles = 0
        var removedBytes: Int64 = 0
        var removedLogFiles = 0
        let verb = dryRun ? "would remove" : "removed"
        for definition in TableSchemas.all {
            let table = DeltaTable(store: objectStore, path: definition.path)
            do {
                guard let snapshot = try table.snapshot() else { continue }
                tables += 1
                // Delta's rule: never under the table's own retention unless forced.
                let promised = try snapshot.metadata.deletedFileRetentionMillis(table: table.log.tableName)
                if let retentionMillis, retentionMillis < promised, !force {
                    failures += 1
                    print(
                        "\(definition.path): skipped: --retain-hours \(Self.format(hours: retainHours!)) is below the "
                            + "table's \(TableProperties.deletedFileRetentionKey) (\(Self.format(millis: promised))); "
                            + "pass --force to vacuum it anyway")
                    continue
                }
                let data = try table.vacuum(retentionMillis: retentionMillis, now: now, dryRun: dryRun)
                let logFiles = try table.cleanUpLog(now: now, dryRun: dryRun)
                print(Self.summary(definition.path, data, logFiles, verb: verb))
                for file in data.removed { print("  \(verb) \(file.path) (\(file.size) B)") }
                for file in logFiles.removed { print("  \(verb) \(file.path) (\(file.size) B)") }
                removedFiles += data.removed.count
                removedBytes += data.removedBytes
                removedLogFiles += logFiles.removed.count
            } catch {
                failures += 1
                print("\(definition.path): vacuum failed: \(error)")
            }
        }
        guard tables > 0 else {
            throw VacuumFailure(message: "no lakehouse at \(objectStore.description) (no tables)")
        }
        print(
            "total: \(verb) \(removedFiles) data files (\(ByteCount.format(removedBytes))) and \(removedLogFiles) "
                + "log files in \(tables) tables")
        if failures > 0 {
            throw VacuumFailure(message: "vacuum failed on \(failures) of \(tables) tables (see above)")
        }
    }

    /// One line per table: what was removed and kept, and why files were kept.
    static func summary(_ path: String, _ data: VacuumReport, _ log: LogCleanupReport, verb: String) -> String {
        let kept = data.kept
        var line =
            "\(path) (version \(data.version), retention \(format(millis: data.retentionMillis))): "
            + "\(verb) \(data.removed.count) data files (\(ByteCount.format(data.removedBytes))); "
            + "kept \(kept.files) (\(ByteCount.format(kept.bytes))): \(kept.live) current, "
            + "\(kept.retained) removed within the retention, \(kept.young) too young to judge; "
        if let skipped = log.skipped {
            line += "log: cleanup off (\(skipped))"
        } else {
            line +=
                "log: \(verb) \(log.removed.count) files (\(ByteCount.format(log.removedBytes))), retention "
                + "\(format(millis: log.retentionMillis))"
            if let version = log.checkpointVersion { line += ", starts at checkpoint \(version)" }
        }
        return line
    }

    /// A retention in the largest unit that states it exactly ("168 h", "90 min", "1 s").
    static func format(millis: Int64) -> String {
        if millis % 3_600_000 == 0 { return "\(millis / 3_600_000) h" }
        if millis % 60_000 == 0 { return "\(millis / 60_000) min" }
        if millis % 1000 == 0 { return "\(millis / 1000) s" }
        return "\(millis) ms"
    }

    /// Hours without a needless fraction ("168", "0.5").
    static func format(hours: Double) -> String {
        hours == hours.rounded() && abs(hours) < 1e15 ? String(Int64(hours)) : String(hours)
    }
}

/// `vacuum` found no lakehouse, or failed on a table (exit 1, without the usage hint).
struct VacuumFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
