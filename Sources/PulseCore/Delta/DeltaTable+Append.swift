extension DeltaTable {
    /// Appends `batch` and records `transactions` (appId -> version) in ONE commit, and returns it.
    ///
    /// Rows are split by partition values; each partition becomes one Parquet file (ZSTD) under Hive-style
    /// escaped directories (`dt=2025-08-20/station_id=S001/part-00000-<uuid>.c000.zstd.parquet`) holding
    /// only the non-partition columns, with `add.stats` (numRecords, min/max, nullCount). A batch with
    /// no rows commits only the `txn` actions (progress). Throws `.staleTransaction` when the table
    /// already holds a version >= a given one for that appId (those records are in the table), or when
    /// `expected` names an appId whose version in the table is not the one given (nil: no txn yet) — the
    /// writer's batch starts where it believes the table ends, and another writer may have moved it —
    /// and `.concurrentTransaction` when another writer commits the same appId meanwhile.
    public func append(
        _ batch: RecordBatch, transactions: [String: Int64], expected: [String: Int64?] = [:],
        operation: String = "STREAMING UPDATE"
    ) throws -> CommitResult {
        guard let base = try snapshot() else {
            throw DeltaError(code: .tableNotFound, table: log.tableName, message: "create the table before appending")
        }
        try log.checkWritable(base)
        guard batch.schema.fields.map(\.name) == base.schema.fields.map(\.name),
            batch.schema.fields.map(\.type) == base.schema.fields.map(\.type)
        else {
            throw DeltaError(
                code: .schemaMismatch, table: log.tableName, version: base.version,
                message: "batch columns \(batch.schema.fields.map { "\($0.name) \($0.type.rawValue)" }) "
                    + "differ from the table's \(base.schema.fields.map { "\($0.name) \($0.type.rawValue)" })")
        }
        var checked = batch
        checked.schema = base.schema
        try checked.validate(table: log.tableName)
        for (appId, version) in transactions {
            if let committed = base.transactionActions[appId]?.version, committed >= version {
                throw DeltaError(
                    code: .staleTransaction, table: log.tableName, version: base.version,
                    message: "txn \(appId) is already at \(committed); this commit would record \(version)")
            }
        }
        for (appId, version) in expected where base.transactionActions[appId]?.version != version {
            let found = base.transactionActions[appId].map { String($0.version) } ?? "absent"
            throw DeltaError(
                code: .staleTransaction, table: log.tableName, version: base.version,
                message:
                    "txn \(appId) is at \(found), not at \(version.map(String.init) ?? "absent") where this batch starts: "
                    + "another writer advanced it")
        }

        let now = WallClock.nowMilliseconds()
        let files = try writeDataFiles(checked, base: base, now: now)
        let adds = files.map(\.add)
        let writtenKeys = files.map(\.key)
        let bytesAdded = adds.reduce(0) { $0 + $1.size }
        var commitOutcomeUnknown = false
        do {

            var actions: [DeltaAction] = [
                .commitInfo(
                    CommitInfoAction(
                        timestamp: now, operation: operation,
                        operationParameters: operation == "STREAMING UPDATE"
                            ? ["outputMode": "Append"] : ["mode": "Append"],
                        engineInfo: engineInfo, isBlindAppend: true, txnId: UUIDString.random()))
            ]
            actions += adds.map { .add($0) }
            actions += transactions.keys.sorted().map {
                .txn(TransactionAction(appId: $0, version: transactions[$0]!, lastUpdated: now))
            }
            let committed: TransactionLog.Committed
            let commitStarted = clock()
            do { committed = try log.commit(actions, base: base) } catch let error as DeltaError {
                // A storage failure during the commit may hide a commit that did land: keep the files.
                commitOutcomeUnknown = error.code == .storage || error.code == .invalidLog
                throw error
            }
            cacheCommitted(committed, started: commitStarted)
            checkpointIfDue(committed.snapshot)
            return CommitResult(
                version: committed.version, filesAdded: adds.count, bytesAdded: bytesAdded,
                rowsAdded: Int64(batch.rowCount), totals: TableTotals(committed.snapshot))
        } catch {
            // Nothing refers to these files; remove them rather than leave them for VACUUM.
            if !commitOutcomeUnknown {
                for key in writtenKeys { try? store.delete(key) }
            }
            throw error
        }
    }

    /// Writes `batch` (already validated against `base`'s schema) as one data file per partition, encoded
    /// and written in parallel, and returns each file's key and `add` action. On a failure the files that
    /// were written are deleted before the error is thrown: nothing refers to them.
    func writeDataFiles(_ batch: RecordBatch, base: Snapshot, now: Int64, dataChange: Bool = true) throws
        -> [(key: String, add: AddAction)]
    {
        let partitioned = try PartitionedBatch(batch, partitionColumns: base.partitionColumns, table: log.tableName)
        let dataSchema = ParquetSchema(partitioned.dataFields.map(\.parquetNode))
        let written = ParallelWork.map(partitioned.slices.count) { index in
            try writeDataFile(partitioned.slices[index], index: index, schema: dataSchema, base: base, now: now)
        }
        var files: [(key: String, add: AddAction)] = []
        for case .success(var file) in written {
            file.add.dataChange = dataChange
            files.append(file)
        }
        for case .failure(let error) in written {
            for file in files { try? store.delete(file.key) }
            throw error
        }
        return files
    }

    /// Encodes `slice` as one Parquet file, stores it, and returns its key and `add` action.
    private func writeDataFile(
        _ slice: PartitionedBatch.Slice, index: Int, schema: ParquetSchema, base: Snapshot, now: Int64
    ) throws -> (key: String, add: AddAction) {
        let written: ParquetWriteResult
        do {
            written = try ParquetFileWriter.write(
                schema: schema, columns: slice.columns, rowCount: slice.rowCount, options: writerOptions)
        } catch {
            throw DeltaError(code: .parquet, table: log.tableName, message: "cannot write a data file: \(error)")
        }
        let directory = PartitionPath.relativeDirectory(columns: base.partitionColumns, values: slice.partitionValues)
        let fileName = "part-" + DeltaTable.fiveDigits(index) + "-" + UUIDString.random() + ".c000.zstd.parquet"
        let relativePath = directory.isEmpty ? fileName : directory + "/" + fileName
        let key = log.key(relativePath: relativePath)
        do { try store.put(key, written.bytes) } catch let error as StorageError {
            throw log.storageFailure(error, version: nil)
        }
        var partitionValues: [String: String?] = [:]
        for (column, value) in zip(base.partitionColumns, slice.partitionValues) {
            partitionValues[column] = .some(value)
        }
        let add = AddAction(
            path: PartitionPath.logPath(relativePath: relativePath), partitionValues: partitionValues,
            size: Int64(written.bytes.count), modificationTime: now, dataChange: true, stats: slice.statistics.json)
        return (key, add)
    }

    private static func fiveDigits(_ number: Int) -> String {
        let digits = String(number)
        return digits.count >= 5 ? digits : String(repeating: "0", count: 5 - digits.count) + digits
    }
}
