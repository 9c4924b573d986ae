/// When a table's partition is compacted, and into what (ARCHITECTURE.md § Table maintenance).
public struct CompactionPolicy: Sendable {
    /// A partition is compacted once it holds more than this many small files (Databricks' auto-compaction
    /// waits for 50; micro-batches every second make them fast, so fewer).
    public var minSmallFiles = 16
    /// Rows per output file at most. Rows are sorted by the table's sort columns before they are cut, so
    /// each output file covers a range of stations and readers skip files by station (a Silver file of
    /// 16,384 rows is about half a megabyte: small for Parquet, right for skipping by one of 30 stations).
    public var targetRows: Int64 = 16_384
    /// A file with fewer rows than this is small: compaction merges it again, a bigger one is left alone
    /// (so the same rows are not rewritten by every compaction).
    public var smallRows: Int64 = 8_192
    /// Rows read per partition in one compaction at most (the oldest small files first): bounds memory on
    /// a lakehouse that never was compacted.
    public var maxRowsPerRound: Int64 = 262_144

    public init() {}
}

/// What one compaction did.
public struct CompactionResult: Sendable, Equatable {
    /// The commit's version; nil when nothing was compacted (or another writer's commit won the files).
    public var version: Int64?
    public var partitions = 0
    public var filesRemoved = 0
    public var filesAdded = 0
    public var rows: Int64 = 0
    public var bytesRemoved: Int64 = 0
    public var bytesAdded: Int64 = 0
    /// Files left alone because they could not be read here (another writer's codec, say).
    public var unreadableFiles = 0
    /// The whole table after the commit (other writers' commits included).
    public var totals: TableTotals?

    public init(unreadableFiles: Int = 0) { self.unreadableFiles = unreadableFiles }
}

extension DeltaTable {
    /// Merges each partition's small files into files of at most `policy.targetRows` rows, sorted by
    /// `sortColumns`, in ONE commit of `remove` + `add` actions with `dataChange: false` and no `txn`: the
    /// table's rows and every writer's progress are unchanged (PROTOCOL.md § Add File and Remove File).
    ///
    /// Safe next to appends: an append and a compaction touch different files, so whichever commits
    /// second just retries at the next version (`TransactionLog.commit`). Two compactions that remove one
    /// file conflict: the later one is abandoned (its new files deleted) and nothing is removed twice.
    /// `force` compacts every partition with two or more small files (`pulse-tui optimize`); otherwise
    /// only partitions past `policy.minSmallFiles`.
    public func compact(sortColumns: [String], policy: CompactionPolicy = .init(), force: Bool = false) throws
        -> CompactionResult
    {
        guard let base = try snapshot() else { return CompactionResult() }
        try log.checkWritable(base)
        var groups: [[String: String?]: [AddAction]] = [:]
        for add in base.files.values where (add.numRecords ?? 0) < policy.smallRows {
            groups[add.partitionValues, default: []].append(add)
        }
        let due = groups.filter { force ? $0.value.count > 1 : $0.value.count > policy.minSmallFiles }
        guard !due.isEmpty else { return CompactionResult() }
        let now = WallClock.nowMilliseconds()
        var result = CompactionResult()
        var removes: [DeltaAction] = []
        var written: [(key: String, add: AddAction)] = []
        do {
            for (partitionValues, files) in due.sorted(by: { $0.value.count > $1.value.count }) {
                var readable: [AddAction] = []
                var pieces: [RecordBatch] = []
                var rowsTaken: Int64 = 0
                for add in files.sorted(by: { ($0.modificationTime, $0.path) < ($1.modificationTime, $1.path) }) {
                    if rowsTaken >= policy.maxRowsPerRound { break }
                    rowsTaken += add.numRecords ?? 0
                    guard let piece = try? readDataFile(add, base: base) else {
                        result.unreadableFiles += 1
                        continue
                    }
                    readable.append(add)
                    pieces.append(piece)
                }
                guard readable.count > 1 else { continue }
                let merged = try RecordBatch.concatenating(pieces, schema: base.schema, table: log.tableName)
                let order = merged.sortOrder(by: sortColumns)
                var start = 0
                while start < order.count {
                    let end = min(order.count, start + Int(policy.targetRows))
                    let chunk = merged.selecting(Array(order[start..<end]))
                    written += try writeDataFiles(chunk, base: base, now: now, dataChange: false)
                    start = end
                }
                for add in readable {
                    removes.append(
                        .remove(
                            RemoveAction(
                                path: add.path, deletionTimestamp: now, dataChange: false, extendedFileMetadata: true,
                                partitionValues: partitionValues, size: add.size)))
                    result.bytesRemoved += add.size
                }
                result.partitions += 1
                result.filesRemoved += readable.count
                result.rows += Int64(merged.rowCount)
            }
        } catch {
            for file in written { try? store.delete(file.key) }
            throw error
        }
        guard !removes.isEmpty else { return result }
        let actions: [DeltaAction] =
            [
                .commitInfo(
                    CommitInfoAction(
                        timestamp: now, operation: "OPTIMIZE",
                        operationParameters: [
                            "predicate": "[]", "targetRows": String(policy.targetRows),
                            "zOrderBy": JSONWriter.encode(.array(sortColumns.map { .string($0) })),
                        ],
                        engineInfo: engineInfo, isBlindAppend: false, txnId: UUIDString.random()))
            ] + removes + written.map { .add($0.add) }
        do {
            let commitStarted = clock()
            let committed = try log.commit(actions, base: base)
            cacheCommitted(committed, started: commitStarted)
            checkpointIfDue(committed.snapshot)
            result.version = committed.version
            result.totals = TableTotals(committed.snapshot)
            result.filesAdded = written.count
            result.bytesAdded = written.reduce(0) { $0 + $1.add.size }
            return result
        } catch let error as DeltaError where error.code == .concurrentDelete || error.code == .concurrentMetadataChange
        {
            // Another writer compacted (or changed) these files first: nothing of ours is referenced.
            for file in written { try? store.delete(file.key) }
            return CompactionResult(unreadableFiles: result.unreadableFiles)
        } catch let error as DeltaError {
            // A storage failure may hide a commit that landed: keep the files then (vacuum removes orphans).
            if error.code != .storage && error.code != .invalidLog {
                for file in written { try? store.delete(file.key) }
            }
            throw error
        }
    }

    /// The rows of one data file as a batch of the table's schema (or of its columns in `only`):
    /// partition columns from the file's partition values, columns the file lacks (written before the
    /// schema gained them) as nulls.
    func readDataFile(_ add: AddAction, base: Snapshot, only: Set<String>? = nil) throws -> RecordBatch {
        let bytes: [UInt8]
        do { bytes = try store.get(log.key(relativePath: PartitionPath.relativePath(logPath: add.path))) } catch let
            error as StorageError
        {
            throw log.storageFailure(error, version: base.version)
        }
        let reader = try ParquetFileReader(bytes: bytes)
        let rows = Int(reader.rowCount)
        let leaves = reader.schema.leaves
        var columns: [ColumnData] = []
        let fields = base.schema.fields.filter { only?.contains($0.name) ?? true }
        for field in fields {
            if base.partitionColumns.contains(field.name) {
                let text = add.partitionValues[field.name] ?? nil
                columns.append(
                    try ColumnData.repeating(partitionValue: text, type: field.type, count: rows, table: log.tableName))
                continue
            }
            guard let index = leaves.firstIndex(where: { $0.path == [field.name] }) else {
                guard field.nullable else {
                    throw DeltaError(
                        code: .invalidLog, table: log.tableName,
                        message: "\(add.path) lacks required column \(field.name)")
                }
                columns.append(
                    ColumnData(values: field.type.emptyValues, definitionLevels: [UInt8](repeating: 0, count: rows)))
                continue
            }
            guard leaves[index].type == field.type.parquetPhysicalType else {
                throw DeltaError(
                    code: .invalidLog, table: log.tableName,
                    message:
                        "\(add.path) stores \(field.name) as \(leaves[index].type), the table says \(field.type.rawValue)"
                )
            }
            var column = try reader.readColumn(index)
            guard column.slotCount == rows else {
                throw DeltaError(
                    code: .invalidLog, table: log.tableName,
                    message: "\(add.path) column \(field.name) has \(column.slotCount) values for \(rows) rows")
            }
            if field.nullable, column.definitionLevels == nil {
                column.definitionLevels = [UInt8](repeating: 1, count: rows)
            }
            columns.append(column)
        }
        return RecordBatch(schema: DeltaSchema(fields), columns: columns, rowCount: rows)
    }
}

extension RecordBatch {
    /// The rows of `batches` one after another; nullable columns carry levels throughout.
    static func concatenating(_ batches: [RecordBatch], schema: DeltaSchema, table: String) throws -> RecordBatch {
        var columns: [ColumnData] = []
        for (index, field) in schema.fields.enumerated() {
            var values = field.type.emptyValues
            var levels: [UInt8]? = field.nullable ? [] : nil
            for batch in batches {
                let column = batch.columns[index]
                values.append(contentsOf: column.values)
                if levels != nil {
                    levels! += column.definitionLevels ?? [UInt8](repeating: 1, count: batch.rowCount)
                }
            }
            columns.append(ColumnData(values: values, definitionLevels: levels))
        }
        let merged = RecordBatch(schema: schema, columns: columns, rowCount: batches.reduce(0) { $0 + $1.rowCount })
        try merged.validate(table: table)
        return merged
    }

    /// Row indexes sorted by the values of `columns` (nulls first), then by row: a stable, total order.
    func sortOrder(by columns: [String]) -> [Int] {
        let keys: [[Int64]] = columns.compactMap { name in
            schema.index(of: name).map { self.columns[$0].sortKeys(rows: rowCount) }
        }
        return (0..<rowCount).sorted { a, b in
            for key in keys where key[a] != key[b] { return key[a] < key[b] }
            return a < b
        }
    }

    /// Rows `rows`, in that order.
    func selecting(_ rows: [Int]) -> RecordBatch {
        RecordBatch(schema: schema, columns: columns.map { $0.selecting(rows) }, rowCount: rows.count)
    }
}

extension ColumnValues {
    /// Appends `other`'s values (same type).
    mutating func append(contentsOf other: ColumnValues) {
        switch (self, other) {
        case (.boolean(var a), .boolean(let b)):
            a += b
            self = .boolean(a)
        case (.int32(var a), .int32(let b)):
            a += b
            self = .int32(a)
        case (.int64(var a), .int64(let b)):
            a += b
            self = .int64(a)
        case (.double(var a), .double(let b)):
            a += b
            self = .double(a)
        case (.byteArray(var a), .byteArray(let b)):
            a.append(contentsOf: b)
            self = .byteArray(a)
        default:
            preconditionFailure("appending \(other.kindName) values to \(kindName) values")
        }
    }
}

extension ColumnData {
    /// Dense value position of each row, -1 for a null (nil when the column has no nulls).
    private var densePositions: [Int]? {
        guard let levels = definitionLevels else { return nil }
        var next = 0
        return levels.map { level in
            guard level != 0 else { return -1 }
            defer { next += 1 }
            return next
        }
    }

    /// One Int64 per row whose order is the values' order, nulls first: numbers as they are, strings by
    /// their rank among the column's distinct values (byte order, which is code point order for UTF-8).
    func sortKeys(rows: Int) -> [Int64] {
        let positions = densePositions
        func position(_ row: Int) -> Int { positions?[row] ?? row }
        switch values {
        case .int32(let v): return (0..<rows).map { position($0) < 0 ? .min : Int64(v[position($0)]) }
        case .int64(let v): return (0..<rows).map { position($0) < 0 ? .min : v[position($0)] }
        case .boolean(let v): return (0..<rows).map { position($0) < 0 ? .min : (v[position($0)] ? 1 : 0) }
        case .double(let v):
            let ranks = Dictionary(
                Set(v).sorted().enumerated().map { ($1, Int64($0)) }, uniquingKeysWith: { a, _ in a })
            return (0..<rows).map { position($0) < 0 ? .min : ranks[v[position($0)]] ?? .max }
        case .byteArray(let v):
            let distinct = Set((0..<v.count).map { v.bytes(at: $0) }).sorted { $0.lexicographicallyPrecedes($1) }
            let ranks = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, Int64($0)) })
            return (0..<rows).map { position($0) < 0 ? .min : ranks[v.bytes(at: position($0))]! }
        }
    }

    /// Rows `rows`, in that order.
    func selecting(_ rows: [Int]) -> ColumnData {
        let positions = densePositions
        let dense = rows.compactMap { row -> Int? in
            guard let positions else { return row }
            return positions[row] < 0 ? nil : positions[row]
        }
        let levels = definitionLevels.map { levels in rows.map { levels[$0] } }
        switch values {
        case .int32(let v): return ColumnData(values: .int32(dense.map { v[$0] }), definitionLevels: levels)
        case .int64(let v): return ColumnData(values: .int64(dense.map { v[$0] }), definitionLevels: levels)
        case .double(let v): return ColumnData(values: .double(dense.map { v[$0] }), definitionLevels: levels)
        case .boolean(let v): return ColumnData(values: .boolean(dense.map { v[$0] }), definitionLevels: levels)
        case .byteArray(let v):
            var out = ByteArrayColumn(reservingValues: dense.count, bytes: v.byteCount)
            v.data.withUnsafeBytes { bytes in
                for i in dense {
                    out.append(UnsafeRawBufferPointer(rebasing: bytes[Int(v.offsets[i])..<Int(v.offsets[i + 1])]))
                }
            }
            return ColumnData(values: .byteArray(out), definitionLevels: levels)
        }
    }

    /// A partition column's value repeated for every row of a file (PROTOCOL.md § Partition Value
    /// Serialization): nil is a null.
    static func repeating(partitionValue text: String?, type: DeltaType, count: Int, table: String) throws -> ColumnData
    {
        guard let text else {
            return ColumnData(values: type.emptyValues, definitionLevels: [UInt8](repeating: 0, count: count))
        }
        func bad() -> DeltaError {
            DeltaError(code: .invalidLog, table: table, message: "partition value '\(text)' is not a \(type.rawValue)")
        }
        switch type {
        case .string, .binary:
            var column = ByteArrayColumn(reservingValues: count, bytes: count * text.utf8.count)
            for _ in 0..<count { column.append(text) }
            return ColumnData(values: .byteArray(column))
        case .date:
            guard let days = EventTime.parseDate(text), let day = Int32(exactly: days) else { throw bad() }
            return ColumnData(values: .int32(Array(repeating: day, count: count)))
        case .integer:
            guard let value = Int32(text) else { throw bad() }
            return ColumnData(values: .int32(Array(repeating: value, count: count)))
        case .long:
            guard let value = Int64(text) else { throw bad() }
            return ColumnData(values: .int64(Array(repeating: value, count: count)))
        case .boolean:
            guard let value = Bool(text) else { throw bad() }
            return ColumnData(values: .boolean(Array(repeating: value, count: count)))
        case .double, .timestamp:
            throw DeltaError(
                code: .unsupportedProtocol, table: table, message: "partition columns of type \(type.rawValue)")
        }
    }
}
