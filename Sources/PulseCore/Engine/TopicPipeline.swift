import Glibc
import Logging

/// What the engine needs of a pipeline, whatever its source.
public protocol PipelineRunner: AnyObject {
    var metrics: PipelineMetrics { get }
    var source: String { get }
    func run(shouldStop: () -> Bool)
    @discardableResult func runBatch() throws -> Int
    /// The pipeline's tables, for the engine's compaction thread.
    var compactionTargets: [Compactor.Target] { get }
}

/// How a pipeline reads and how often it commits.
public struct PipelineSettings: Sendable {
    public var topic: String
    public var brokers: String
    public var triggerSeconds: Double = 2
    /// Upper bound of records per micro-batch over all partitions (bounds memory).
    public var maxBatchRecords: Int = 200_000
    /// Upper bound of key and value bytes per micro-batch: what a backlog holds in memory is about twice
    /// this (the batch being written and the one read ahead), whatever the record size. At 8 MiB (about
    /// 48,000 bike events) a cold catch-up peaked at 155 MiB instead of 290 MiB (200,000 records), at
    /// the same speed within the noise (`make bench`, deploy).
    public var maxBatchBytes: Int = 8 << 20
    /// A table with no rows still records its progress this often, or once it lags this many records in a
    /// partition, or as soon as the engine is caught up (`needsCommit`).
    public var progressCommitSeconds: Double = 30
    public var progressLagRecords: Int64 = 5_000
    public var readTimeoutMs: Int = 5000
    /// After this long without a record or an answer from the broker, a batch asks the broker for the
    /// watermarks instead of trusting the last fetch's: a stopped broker answers nothing and reports no
    /// error, and the cached watermarks would show an idle topic with no lag.
    public var brokerCheckSeconds: Double = 5
    /// Longest pause between retries of a batch the store refused; also bounds how late the engine
    /// notices that the store works again.
    public var maxStoreBackoffSeconds: Double = 5
    /// Pause between retries of a batch the broker did not answer; the broker request itself waits
    /// `readTimeoutMs`.
    public var brokerRetrySeconds: Double = 1
    /// While batches are full (a backlog), Gold commits at most this often: a Gold commit is a table
    /// commit per window size plus a state file per partition, for a few rows. Caught up, Gold commits
    /// with every batch that closes a window.
    public var goldCommitSeconds: Double = 1
    /// Share the topic's partitions with the other engines of this consumer group (nil: read them all).
    public var group: ConsumerGroup?

    public init(topic: String, brokers: String) {
        self.topic = topic
        self.brokers = brokers
    }
}

/// One source topic carried through Bronze, Silver, quarantine and Gold in micro-batches, exactly once
/// per partition (ARCHITECTURE.md § Exactly-once).
///
/// A batch reads a range per partition once and builds every table's rows in memory. Each table commits
/// with `txn` actions holding the next offset per partition and drops the records below its own version,
/// so a replay after a crash between two tables' commits writes nothing twice. Gold state is saved at
/// the batch's end offsets before any Gold commit. In-memory progress advances only after every table
/// committed; after a failure all progress is re-read from the logs.
public final class TopicPipeline<Stages: SourceStages>: PipelineRunner {
    public let settings: PipelineSettings
    public let metrics: PipelineMetrics
    public var source: String { stages.source }
    private var stages: Stages
    private let store: any ObjectStore
    private let brokerHealth: BrokerHealth
    private let logger: Logger
    private let bronze: PipelineTable
    private let silver: PipelineTable
    private let quarantine: PipelineTable
    private let gold: [PipelineTable]
    private var tables: [PipelineTable] { [bronze, silver, quarantine] + gold }
    private var windowStateStore: WindowStateStore
    private let gapLog: GapLog
    /// "" for the first broker this lakehouse read the topic from, "@N" for the Nth.
    private var epochSuffix = ""
    /// The broker's cluster id (Bronze's kafka_cluster_id) and every epoch the lakehouse recorded.
    private var epoch = BrokerEpochs.Epoch(number: 1, clusterID: "unknown", partitions: nil)
    private var epochs: [BrokerEpochs.Epoch] = []
    /// Consecutive failures that name damaged state; past `fatalAfter` the pipeline stops.
    private var damagedStateFailures = 0
    private var windowStates: [WindowState<Stages.Aggregate>] = []
    /// Offset each partition's Gold state reflects: records below it are already in the state.
    private var windowStateOffset: [Int64] = []
    /// Closed windows not yet committed, per Gold table (see `goldCommitSeconds`).
    private var pendingClosed: [[ClosedWindow<Stages.Aggregate>]] = []
    /// Window states saved per partition since their folder was last pruned.
    private var statesSincePrune: [Int] = []
    private var lastGoldCommit = 0.0
    /// When the group last heard this member's progress (`TopicReader.commitToGroup`).
    private var lastGroupCommit = 0.0
    private var reader: TopicReader?
    private var readAhead: TopicReadAhead?
    private var nextOffset: [Int64] = []
    private var needsRecovery = true
    /// The last batch stopped at `maxBatchRecords` or `maxBatchBytes`: the next one starts without a pause.
    private var lastBatchFull = false
    /// The partitions this engine reads and commits: all of them alone, the group's share in a consumer
    /// group (as of the last recovery; a rebalance since makes the engine recover again).
    private var mine: [Int] = []
    /// Monotonic time of the last record read or broker answer (see `brokerCheckSeconds`).
    private var lastBrokerAnswer = WallClock.monotonicSeconds()
    /// The same instant on the wall clock, shown as the start of a broker failure spell.
    private var lastBrokerAnswerMicros = WallClock.nowMicros()
    private var records: KafkaRecordBatch
    private var rows: Stages.Aggregate.Rows
    private var recordRow: [Int32] = []
    private var rejects: [(row: Int32, reason: String)] = []

    private let activity: StationActivity?

    public init(
        stages: Stages, settings: PipelineSettings, store: any ObjectStore, brokerHealth: BrokerHealth,
        logger: Logger, activity: StationActivity? = nil
    ) {
        self.activity = activity
        self.stages = stages
        self.settings = settings
        self.store = store
        self.brokerHealth = brokerHealth
        self.logger = logger
        let definitions =
            [TableSchemas.bronze(stages.source), stages.silver, TableSchemas.quarantine(stages.source)]
            + stages.gold
        let metrics = PipelineMetrics(source: stages.source, topic: settings.topic, tablePaths: definitions.map(\.path))
        self.metrics = metrics
        let tables = definitions.map { PipelineTable(definition: $0, store: store, metrics: metrics.table($0.path)!) }
        bronze = tables[0]
        silver = tables[1]
        quarantine = tables[2]
        gold = Array(tables[3...])
        windowStateStore = WindowStateStore(store: store, topic: settings.topic)
        gapLog = GapLog(store: store)
        records = KafkaRecordBatch(topic: settings.topic)
        rows = stages.makeRows()
    }

    /// Deletes a partition's window states that no Gold table's version needs any more (below the lowest
    /// Gold version of the partition; `WindowStateStore.prune` keeps the newest few), every
    /// `statesBetweenPrunes` saves, so `_checkpoints/` stays small through a long run.
    private func pruneWindowStates() {
        for p in mine where statesSincePrune[p] >= TopicPipeline.statesBetweenPrunes {
            statesSincePrune[p] = 0
            guard let lowest = gold.compactMap({ $0.versions[Int32(p)] }).min() else { continue }
            do { try windowStateStore.prune(partition: Int32(p), below: lowest) } catch {
                logger.warning("\(source) partition \(p): pruning Gold window states failed: \(error)")
            }
        }
    }

    static var statesBetweenPrunes: Int { 16 }

    public var compactionTargets: [Compactor.Target] {
        // In a consumer group, the member that owns partition 0 compacts the topic's tables: one compactor
        // per table, not one per member racing the others for the same files.
        let metrics = metrics
        let compacts: @Sendable () -> Bool = { metrics.ownedPartitions?.contains(0) ?? true }
        return tables.map {
            Compactor.Target(
                table: $0.delta, sortColumns: $0.definition.sortColumns, metrics: $0.metrics, isDue: compacts)
        }
    }

    /// Runs micro-batches every trigger interval until `shouldStop` says so; failures are logged,
    /// shown in the metrics (broker or store, since when, last error) and retried, never fatal, except
    /// damaged state no retry can mend (a Delta log with a gap or a negative txn, an unreadable
    /// epochs.json): after `fatalAfter` attempts in a row the pipeline stops with it in
    /// `metrics.fatalError`, and the run exits non-zero. A failed batch acknowledges nothing: its records
    /// are read again from the tables' committed versions, so while the store refuses writes the engine
    /// holds at most one batch and the rest waits in Kafka.
    public func run(shouldStop: () -> Bool) {
        var backoff = 0.5
        while !shouldStop() {
            let began = WallClock.monotonicSeconds()
            var fullBatch = false
            do {
                try runBatch()
                fullBatch = lastBatchFull
                metrics.recordHealthy()
                backoff = 0.5
                damagedStateFailures = 0
            } catch let error as DeltaError
                where error.code == .staleTransaction || error.code == .concurrentTransaction
            {
                // Another engine on the same tables got there first: not a fault, re-read progress and go on.
                logger.info("\(source) another writer advanced a table (\(error)); re-reading progress")
                needsRecovery = true
                pause(seconds: Double.random(in: 0.05...0.2), unless: shouldStop)
                continue
            } catch let error as KafkaError {
                let message = "\(error)"
                logger.warning("\(source) broker did not answer, will retry: \(message)")
                brokerHealth.recordFailure("\(source): \(message)", since: lastBrokerAnswerMicros)
                metrics.recordBrokerFailure(message)
                needsRecovery = true
                pause(seconds: settings.brokerRetrySeconds, unless: shouldStop)
                continue
            } catch {
                let message = FailureMessage.describe(error)
                if TopicPipeline.isDamagedState(error) {
                    damagedStateFailures += 1
                    if damagedStateFailures >= TopicPipeline.fatalAfter {
                        logger.critical("\(source) stopped: \(message)")
                        metrics.recordFatal(message)
                        return
                    }
                }
                logger.error("\(source) batch failed, will retry: \(error)")
                metrics.recordStoreFailure(message, atMicros: WallClock.nowMicros())
                needsRecovery = true
                pause(seconds: backoff * Double.random(in: 0.8...1.2), unless: shouldStop)
                backoff = min(backoff * 2, settings.maxStoreBackoffSeconds)
                continue
            }
            if !fullBatch {
                pause(seconds: settings.triggerSeconds - (WallClock.monotonicSeconds() - began), unless: shouldStop)
            }
        }
        drain()
        // A group member leaves the group now, so the others take its partitions at once instead of after
        // the session timeout.
        readAhead = nil
        reader = nil
    }

    /// Attempts in a row that must fail on damaged state before the pipeline gives up (a concurrent
    /// writer caught half-way can look like damage once).
    static var fatalAfter: Int { 3 }

    /// Whether `error` names lakehouse state a person must repair: retrying cannot change it.
    static func isDamagedState(_ error: Error) -> Bool {
        if let error = error as? DeltaError {
            return error.code == .invalidLog || error.code == .unsupportedProtocol || error.code == .schemaMismatch
        }
        if let error = error as? PipelineError { return error.code == .corruptState }
        return false
    }

    /// On a clean stop, commits what the broker already holds (producers stop first), so a run on the
    /// embedded broker, which ends with the process, leaves nothing it accepted behind. Bounded in time.
    private func drain(seconds: Double = 10) {
        let end = WallClock.monotonicSeconds() + seconds
        while WallClock.monotonicSeconds() < end {
            do {
                if try runBatch(freshWatermarks: true) == 0 { return }
            } catch {
                logger.error("\(source) final batch failed: \(error)")
                return
            }
        }
    }

    /// Reads what is new (up to `maxBatchRecords`), carries it through every layer and commits;
    /// returns the number of records read.
    @discardableResult
    public func runBatch() throws -> Int { try runBatch(freshWatermarks: false) }

    /// `freshWatermarks` asks the broker for the high watermarks instead of using the last fetch's.
    private func runBatch(freshWatermarks: Bool) throws -> Int {
        if needsRecovery { try recover() }
        let began = WallClock.monotonicSeconds()
        var clock = StageClock()
        guard let reader, let readAhead else { preconditionFailure("recover() opens the reader") }
        var read: BatchRead
        if readAhead.isReading {
            read = try readAhead.take(into: &records)
            // A drain must see the broker's own watermarks before it can call the topic read.
            if freshWatermarks, !read.askedBroker, read.recordsRead == 0 {
                records.removeAll()
                read = try reader.readBatch(readRequest(askBroker: true), into: &records)
            }
        } else {
            let askBroker =
                freshWatermarks || WallClock.monotonicSeconds() - lastBrokerAnswer >= settings.brokerCheckSeconds
            records.removeAll()
            read = try reader.readBatch(readRequest(askBroker: askBroker), into: &records)
        }
        let askBroker = read.askedBroker
        lastBatchFull = read.full
        // The group moved partitions: what was read is dropped unprocessed, and recovery reads each owned
        // partition's progress from the tables again, so nothing is lost or doubled.
        if settings.group != nil, reader.takeRebalance() {
            needsRecovery = true
            records.removeAll()
            readAhead.cancel()
            logger.info(
                "\(source): the group moved partitions (now \(reader.owned?.sorted() ?? [])); re-reading progress")
            return 0
        }
        // Recorded in the lakehouse before any commit moves past the missing offsets.
        for gap in read.gaps {
            try gapLog.record(gap, epoch: epoch.number, clusterID: epoch.clusterID, atMicros: WallClock.nowMicros())
            metrics.recordGap(gap)
            logger.critical("records lost: \(gap)")
        }
        let next = read.positions
        var lag: Int64 = 0
        for p in mine { lag += max(0, read.high[p] - next[p]) }
        if askBroker || records.count > 0 {
            lastBrokerAnswer = WallClock.monotonicSeconds()
            lastBrokerAnswerMicros = WallClock.nowMicros()
        }
        // A backlog: read the next batch while this one is processed.
        if read.full { readAhead.start(readRequest(askBroker: freshWatermarks)) }
        // Until the commits succeed the batch's records are lag too: a store that refuses writes shows a
        // growing lag, not a stale zero.
        metrics.recordLag(lag + Int64(records.count))
        clock.lap("read")
        let now = WallClock.nowMicros()
        let target = Dictionary(uniqueKeysWithValues: mine.map { (Int32($0), next[$0]) })
        let batch = BatchCommit(
            topic: settings.topic, epoch: epoch, target: target, now: now, caughtUp: records.count == 0,
            progressLagRecords: settings.progressLagRecords, progressCommitSeconds: settings.progressCommitSeconds)

        // Bronze needs only the records: it is encoded and committed on another thread while Silver,
        // quarantine and Gold are built and committed here. Tables commit independently (recovery resumes
        // at the lowest version over them); each filters to offsets at or above its own version. The task
        // gets the table and Sendable values, and is joined before any of them is touched again.
        let bronzeCommit = BackgroundTask { [bronze, records, batch] in
            let began = WallClock.monotonicSeconds()
            try bronze.commit(in: batch) {
                BronzeStage.rows(
                    of: records, ingestMicros: batch.now, minimumOffset: bronze.versions,
                    clusterID: batch.epoch.clusterID, schema: bronze.definition.schema)
            }
            return WallClock.monotonicSeconds() - began
        }
        // Joined on every way out: nothing may change what it reads while it runs.
        defer { _ = try? bronzeCommit.wait() }

        // Silver and quarantine: every record is parsed once; each table keeps what it has not committed.
        stages.parse(records, into: &rows, recordRow: &recordRow, rejects: &rejects)
        clock.lap("parse")

        // Silver, like Bronze, on another thread: it reads the parsed rows, which stay as they are until
        // the batch ends, while Gold's windows, quarantine and Gold are done here.
        let silverCommit = BackgroundTask { [silver, stages, rows, recordRow, records, batch, metrics] in
            let began = WallClock.monotonicSeconds()
            try silver.commit(in: batch) {
                stages.silverBatch(rows, keep: Self.rowsToCommit(recordRow, of: records, in: silver))
            }
            let committed = WallClock.nowMicros()
            metrics.recordSilverLatencies(
                recordRow.map { committed - records.timestampsMicros[Int($0)] }.filter { $0 >= 0 })
            return WallClock.monotonicSeconds() - began
        }
        defer { _ = try? silverCommit.wait() }

        // Gold: rows at or above each partition's state offset feed its windows, record by record.
        let (closedBySize, late, ahead) = WindowFeed.feed(
            records, recordRow: recordRow, rows: rows, states: &windowStates, stateOffset: windowStateOffset,
            goldVersions: gold.map(\.versions))

        clock.lap("windows")
        try quarantine.commit(in: batch) { quarantineRows(ingestMicros: now) }
        clock.lap("quarantine")
        // A window a table already holds (its station's recorded window end is at or past this one's) is
        // never appended again: another run, broker epoch or engine closed it first.
        for i in pendingClosed.indices {
            let ends = gold[i].windowEnds
            let fresh = closedBySize[i].filter { $0.windowEnd > (ends[Int($0.stationIndex)] ?? .min) }
            if fresh.count < closedBySize[i].count {
                metrics.recordWindowsAlreadyInGold(closedBySize[i].count - fresh.count)
            }
            pendingClosed[i] += fresh
        }
        // While there is a backlog Gold commits at most every `goldCommitSeconds`: its closed windows wait
        // here, and a crash meanwhile loses nothing (recovery resumes at Gold's version with the state
        // saved there, and the replay closes the same windows again).
        let goldWaits = read.full && WallClock.monotonicSeconds() - lastGoldCommit < settings.goldCommitSeconds
        let goldDue =
            !goldWaits
            && gold.enumerated().contains { $1.needsCommit(rows: pendingClosed[$0].count, in: batch) }
        if goldDue {
            // The state must exist at every version a Gold table can hold after this batch.
            let due = mine.filter { next[$0] >= windowStateOffset[$0] }
            let states = due.map { windowStates[$0].serialized() }
            let saved = ParallelWork.map(due.count) { [windowStateStore] i in
                try windowStateStore.save(states[i], partition: Int32(due[i]), offset: next[due[i]])
            }
            for case .failure(let error) in saved { throw error }
            for p in due { statesSincePrune[p] += 1 }
            clock.lap("gold state")
            for (i, table) in gold.enumerated() {
                // In file order: by station, then window start (`TableDefinition.sortColumns`).
                let windows = pendingClosed[i].sorted {
                    ($0.stationIndex, $0.windowStart) < ($1.stationIndex, $1.windowStart)
                }
                try table.commit(in: batch, windowEnds: windowEnds(of: windows, in: table)) {
                    stages.goldBatch(tableIndex: i, windows: windows)
                }
                for window in windows {
                    let station = Int(window.stationIndex)
                    table.windowEnds[station] = max(table.windowEnds[station] ?? .min, window.windowEnd)
                }
                pendingClosed[i] = []
            }
            lastGoldCommit = WallClock.monotonicSeconds()
            pruneWindowStates()
        }
        clock.lap("gold")
        clock.record("silver (own thread)", seconds: try silverCommit.wait())
        clock.lap("silver wait")
        clock.record("bronze (own thread)", seconds: try bronzeCommit.wait())
        clock.lap("bronze wait")
        for p in mine { windowStateOffset[p] = max(windowStateOffset[p], next[p]) }
        if let activity { stages.observe(rows, closed: closedBySize, in: activity) }
        nextOffset = next
        metrics.recordRecords(
            quarantined: Int64(rejects.count), late: late, ahead: ahead,
            watermarkMicros: windowStates.compactMap(\.watermark).min())
        let committed = resumeOffsets()
        metrics.recordCommitted(committed)
        if settings.group != nil, WallClock.monotonicSeconds() - lastGroupCommit >= 5 {
            lastGroupCommit = WallClock.monotonicSeconds()
            reader.commitToGroup(offsets: Dictionary(uniqueKeysWithValues: mine.map { (Int32($0), committed[$0]) }))
        }
        if records.count > 0 {
            metrics.recordStages(clock)
            metrics.recordBatch(
                records: records.count, lag: lag, latencySeconds: WallClock.monotonicSeconds() - began, atMicros: now)
        } else {
            metrics.recordLag(lag)
        }
        return records.count
    }

    /// Per partition, the offset a restart would resume at (the lowest version over the tables): what the
    /// broker must still hold for exactly-once (the producers' backpressure reads it).
    private func resumeOffsets() -> [Int64] {
        (0..<nextOffset.count).map { p in tables.map { $0.versions[Int32(p)] ?? 0 }.min() ?? 0 }
    }

    /// The `window-end-<station>` txn versions a Gold commit of `windows` records, and the versions they
    /// must replace (a compare-and-set: another engine that appended a station's window meanwhile makes
    /// this commit fail and re-read, rather than both appending it).
    private func windowEnds(of windows: [ClosedWindow<Stages.Aggregate>], in table: PipelineTable)
        -> (versions: [String: Int64], expected: [String: Int64?])
    {
        var ends: [Int32: Int64] = [:]
        for window in windows { ends[window.stationIndex] = max(ends[window.stationIndex] ?? .min, window.windowEnd) }
        var versions: [String: Int64] = [:]
        var expected: [String: Int64?] = [:]
        let stations = StationCatalogue.standard.stations
        for (station, end) in ends {
            let appId = PipelineTable.windowEndAppId(station: stations[Int(station)].id)
            versions[appId] = end
            expected[appId] = .some(table.windowEnds[Int(station)])
        }
        return (versions, expected)
    }

    /// Silver rows whose record is at or above the Silver table's version of its partition (all of them,
    /// nil, unless this batch replays records Silver already committed).
    private static func rowsToCommit(_ recordRow: [Int32], of records: KafkaRecordBatch, in table: PipelineTable)
        -> [Int]?
    {
        let committed = CommittedOffsets(table.versions)
        if recordRow.allSatisfy({ committed.isNew(Int($0), of: records) }) { return nil }
        return recordRow.indices.filter { committed.isNew(Int(recordRow[$0]), of: records) }
    }

    private func readRequest(askBroker: Bool) -> BatchReadRequest {
        BatchReadRequest(
            askBroker: askBroker, maxRecords: settings.maxBatchRecords, maxBytes: settings.maxBatchBytes,
            timeoutMs: settings.readTimeoutMs,
            health: brokerHealth, lastAnswerMicros: lastBrokerAnswerMicros)
    }

    /// Bronze columns of the rejected records the quarantine table has not committed, plus the reason.
    private func quarantineRows(ingestMicros: Int64) -> RecordBatch {
        let committed = CommittedOffsets(quarantine.versions)
        let keep = rejects.filter { committed.isNew(Int($0.row), of: records) }
        var subset = KafkaRecordBatch(topic: records.topic)
        var reasons = ByteArrayColumn()
        for (row, reason) in keep {
            subset.append(row: Int(row), of: records)
            reasons.append(reason)
        }
        var batch = BronzeStage.rows(
            of: subset, ingestMicros: ingestMicros, minimumOffset: [:], clusterID: epoch.clusterID,
            schema: DeltaSchema(TableSchemas.bronzeColumns))
        batch.schema = quarantine.definition.schema
        batch.columns.append(ColumnData(values: .byteArray(reasons)))
        return batch
    }

    /// Opens the readers (once) and re-reads every table's progress and the Gold state matching it.
    /// A partition resumes at the lowest version over the tables; one no table has seen starts at the
    /// broker's earliest offset, so nothing produced before the engine started is lost.
    ///
    /// Gold state: the one saved at the lowest Gold version. A partition Gold has not committed in this
    /// broker epoch starts from the previous epoch's last state (its watermark and open windows), so a new
    /// broker continues the windows instead of closing them again; a state that is missing or unreadable
    /// is rebuilt from the broker's earliest offset, with a warning. Either way the window-end txns keep
    /// any window a table already holds from being appended twice.
    private func recover() throws {
        if reader == nil {
            let opened = try TopicReader(
                brokers: settings.brokers, topic: settings.topic, health: brokerHealth, logger: logger,
                group: settings.group)
            let cluster = opened.clusterID() ?? "unknown"
            // What the tables' logs say about earlier brokers, in case epochs.json is gone.
            var logged: [String: Int] = [:]
            var tablesHaveOffsets = false
            for table in tables {
                guard let snapshot = try table.delta.snapshot() else { continue }
                for (appId, version) in snapshot.transactions {
                    if appId.hasPrefix("broker-") {
                        logged[String(appId.dropFirst("broker-".count))] = Int(clamping: version)
                    } else if appId.hasPrefix("\(settings.topic)-") {
                        tablesHaveOffsets = true
                    }
                }
            }
            let recorded = try BrokerEpochs(store: store, topic: settings.topic).epoch(
                for: cluster, partitions: opened.partitionCount, logged: logged, tablesHaveOffsets: tablesHaveOffsets)
            epoch = recorded.current
            epochs = recorded.all
            epochSuffix = BrokerEpochs.suffix(epoch.number)
            windowStateStore.epochSuffix = epochSuffix
            reader = opened
            readAhead = TopicReadAhead(reader: opened)
            logger.info(
                "\(source): reading \(settings.topic) with \(opened.partitionCount) partitions, broker \(cluster), epoch \(epoch.number)"
            )
        }
        guard let reader else { preconditionFailure("opened above") }
        // A read ahead is past what the tables hold; the reader is re-assigned below.
        readAhead?.cancel()
        // Taken before the tables are read: a rebalance from here on makes the next batch recover again.
        _ = reader.takeRebalance()
        let owned = reader.owned
        mine = (0..<reader.partitionCount).filter { owned?.contains(Int32($0)) ?? true }
        metrics.recordOwnership(owned.map { $0.sorted() }, rebalances: reader.rebalances)
        for table in tables {
            try table.recover(
                topic: settings.topic, partitions: reader.partitionCount, epochSuffix: epochSuffix,
                epochMarker: BrokerEpochs.markerAppId(clusterID: epoch.clusterID))
            // The first batch after a start records every table's progress, so an engine that lives
            // shorter than the progress interval (a crash loop) still moves the resume point.
            table.lastCommitMicros = 0
        }
        nextOffset = []
        windowStates = []
        windowStateOffset = []
        statesSincePrune = Array(repeating: 0, count: reader.partitionCount)
        // Rebuilt by the replay from the Gold state loaded below.
        pendingClosed = Array(repeating: [], count: gold.count)
        var earliestOffsets: [Int64]?
        func earliest(_ p: Int) throws -> Int64 {
            if earliestOffsets == nil { earliestOffsets = try reader.queryOffsets(earliest: true) }
            return earliestOffsets![p]
        }
        for p in 0..<reader.partitionCount {
            let partition = Int32(p)
            for table in tables where table.versions[partition] == nil {
                table.versions[partition] = try earliest(p)
            }
            var resume = tables.map { $0.versions[partition]! }.min()!
            let goldVersion = gold.map { $0.versions[partition]! }.min()!
            // Loaded only when every Gold table has committed the partition: one that has not needs the
            // windows from the broker's earliest offset, so the state is rebuilt from there (tables ahead
            // skip the windows they already hold). Another group member's partition is not loaded at all.
            if owned.map({ !$0.contains(partition) }) ?? false {
                windowStates.append(WindowState())
                windowStateOffset.append(goldVersion)
            } else if gold.allSatisfy({ $0.hasCommitted(partition: partition) }) {
                do {
                    let bytes = try windowStateStore.load(partition: partition, offset: goldVersion)
                    windowStates.append(try WindowState(serialized: bytes))
                    windowStateOffset.append(goldVersion)
                    try? windowStateStore.prune(partition: partition, below: goldVersion)
                } catch {
                    let from = try earliest(p)
                    let key = windowStateStore.key(partition: partition, offset: goldVersion)
                    let warning =
                        "\(source) partition \(p): Gold window state \(key) cannot be used "
                        + "(\(FailureMessage.describe(error))); rebuilding it from offset \(from), "
                        + "windows that began before it are incomplete"
                    logger.warning("\(warning)")
                    windowStates.append(WindowState())
                    windowStateOffset.append(from)
                    resume = min(resume, from)
                }
            } else {
                windowStates.append(carriedState(partition: partition, partitions: reader.partitionCount))
                windowStateOffset.append(goldVersion)
            }
            nextOffset.append(resume)
        }
        if settings.group != nil {
            try reader.resume(offsets: Dictionary(uniqueKeysWithValues: mine.map { (Int32($0), nextOffset[$0]) }))
            logger.info(
                "\(source): partitions \(mine) of \(reader.partitionCount) in group \(settings.group!.name), resuming at offsets \(mine.map { nextOffset[$0] })"
            )
        } else {
            try reader.assign(offsets: nextOffset)
            logger.info("\(source): resuming at offsets \(nextOffset), gold state at \(windowStateOffset)")
        }
        needsRecovery = false
    }

    /// The last Gold state of `partition` in an earlier broker epoch (newest first), when the topic had
    /// the same partition count there (stations then map to the same partitions); a fresh state otherwise.
    private func carriedState(partition: Int32, partitions: Int) -> WindowState<Stages.Aggregate> {
        for earlier in epochs.reversed() where earlier.number < epoch.number {
            if let count = earlier.partitions, count != partitions {
                let warning =
                    "\(source): epoch \(earlier.number) had \(count) partitions, this broker has \(partitions); "
                    + "Gold windows open at its end start afresh"
                logger.warning("\(warning)")
                break
            }
            let suffix = BrokerEpochs.suffix(earlier.number)
            let appId = PipelineTable.appId(topic: settings.topic, partition: partition, epochSuffix: suffix)
            // The latest state the epoch saved: its broker is gone, so nothing past it can be replayed, and a
            // table that recorded less progress only misses windows the others already hold.
            let versions = gold.compactMap { try? $0.transactionVersion(appId: appId) }
            guard let version = versions.max() else { continue }
            do {
                let bytes = try windowStateStore.load(partition: partition, offset: version, epochSuffix: suffix)
                let state = try WindowState<Stages.Aggregate>(serialized: bytes)
                logger.info(
                    "\(source) partition \(partition): Gold windows and watermark carried over from epoch \(earlier.number)"
                )
                return state
            } catch {
                let warning =
                    "\(source) partition \(partition): epoch \(earlier.number)'s last Gold state cannot be used "
                    + "(\(FailureMessage.describe(error))); windows start afresh"
                logger.warning("\(warning)")
                break
            }
        }
        return WindowState()
    }

    private func pause(seconds: Double, unless shouldStop: () -> Bool) {
        let end = WallClock.monotonicSeconds() + seconds
        while !shouldStop() {
            let left = end - WallClock.monotonicSeconds()
            if left <= 0 { return }
            usleep(useconds_t(min(left, 0.1) * 1_000_000))
        }
    }
}
