/// Classic V1 checkpoints: `_delta_log/<version>.checkpoint.parquet` holding the whole table state one
/// action per row, plus `_delta_log/_last_checkpoint` pointing at it (PROTOCOL.md § Checkpoints,
/// § Checkpoint Schema). The column layout follows what delta-rs writes, minus columns we never fill.
public enum Checkpoint {
    private static func stringLeaf(_ name: String, _ repetition: ParquetRepetition) -> ParquetNode {
        .leaf(name: name, repetition: repetition, type: .byteArray, logical: .string)
    }

    private static func int64Leaf(_ name: String, _ repetition: ParquetRepetition) -> ParquetNode {
        .leaf(name: name, repetition: repetition, type: .int64, logical: .none)
    }

    private static func int32Leaf(_ name: String) -> ParquetNode {
        .leaf(name: name, repetition: .required, type: .int32, logical: .none)
    }

    private static func boolLeaf(_ name: String, _ repetition: ParquetRepetition) -> ParquetNode {
        .leaf(name: name, repetition: repetition, type: .boolean, logical: .none)
    }

    private static func stringMap(_ name: String, _ repetition: ParquetRepetition, valuesOptional: Bool) -> ParquetNode
    {
        .group(
            name: name, repetition: repetition, logical: .map,
            children: [
                .group(
                    name: "key_value", repetition: .repeated, logical: .none,
                    children: [
                        stringLeaf("key", .required), stringLeaf("value", valuesOptional ? .optional : .required),
                    ])
            ])
    }

    /// The checkpoint's Parquet schema: top-level optional structs add, remove, metaData, protocol, txn.
    public static let parquetFields: [ParquetNode] = [
        .group(
            name: "add", repetition: .optional, logical: .none,
            children: [
                stringLeaf("path", .required),
                stringMap("partitionValues", .required, valuesOptional: true),
                int64Leaf("size", .required),
                int64Leaf("modificationTime", .required),
                boolLeaf("dataChange", .required),
                stringLeaf("stats", .optional),
                stringMap("tags", .optional, valuesOptional: true),
            ]),
        .group(
            name: "remove", repetition: .optional, logical: .none,
            children: [
                stringLeaf("path", .required),
                int64Leaf("deletionTimestamp", .optional),
                boolLeaf("dataChange", .required),
                boolLeaf("extendedFileMetadata", .optional),
                stringMap("partitionValues", .optional, valuesOptional: true),
                int64Leaf("size", .optional),
            ]),
        .group(
            name: "metaData", repetition: .optional, logical: .none,
            children: [
                stringLeaf("id", .required),
                stringLeaf("name", .optional),
                stringLeaf("description", .optional),
                .group(
                    name: "format", repetition: .required, logical: .none,
                    children: [
                        stringLeaf("provider", .required), stringMap("options", .required, valuesOptional: false),
                    ]),
                stringLeaf("schemaString", .required),
                .group(
                    name: "partitionColumns", repetition: .required, logical: .list,
                    children: [
                        .group(
                            name: "list", repetition: .repeated, logical: .none,
                            children: [stringLeaf("element", .required)])
                    ]),
                int64Leaf("createdTime", .optional),
                stringMap("configuration", .required, valuesOptional: false),
            ]),
        .group(
            name: "protocol", repetition: .optional, logical: .none,
            children: [int32Leaf("minReaderVersion"), int32Leaf("minWriterVersion")]),
        .group(
            name: "txn", repetition: .optional, logical: .none,
            children: [
                stringLeaf("appId", .required), int64Leaf("version", .required), int64Leaf("lastUpdated", .optional),
            ]),
    ]

    private static func sortedEntries(_ map: [String: String?]) -> [(String, String?)] {
        map.keys.sorted().map { ($0, map[$0]!) }
    }

    private static func sortedEntries(_ map: [String: String]) -> [(String, String?)] {
        map.keys.sorted().map { ($0, map[$0]) }
    }

    /// One checkpoint row (values for add, remove, metaData, protocol, txn) for an action.
    static func record(_ action: DeltaAction) -> [NestedValue]? {
        var row = [NestedValue](repeating: .null, count: 5)
        switch action {
        case .add(let add):
            row[0] = .group([
                .string(add.path), .map(sortedEntries(add.partitionValues)), .int64(add.size),
                .int64(add.modificationTime), .bool(add.dataChange), .optionalString(add.stats),
                add.tags.map { .map(sortedEntries($0)) } ?? .null,
            ])
        case .remove(let remove):
            row[1] = .group([
                .string(remove.path), .optionalInt64(remove.deletionTimestamp), .bool(remove.dataChange),
                .optionalBool(remove.extendedFileMetadata),
                remove.partitionValues.map { .map(sortedEntries($0)) } ?? .null, .optionalInt64(remove.size),
            ])
        case .metadata(let metadata):
            row[2] = .group([
                .string(metadata.id), .optionalString(metadata.name), .optionalString(metadata.description),
                .group([.string(metadata.formatProvider), .map(sortedEntries(metadata.formatOptions))]),
                .string(metadata.schemaString), .list(metadata.partitionColumns),
                .optionalInt64(metadata.createdTime), .map(sortedEntries(metadata.configuration)),
            ])
        case .protocol(let action):
            row[3] = .group([.int32(action.minReaderVersion), .int32(action.minWriterVersion)])
        case .txn(let txn):
            row[4] = .group([.string(txn.appId), .int64(txn.version), .optionalInt64(txn.lastUpdated)])
        case .commitInfo, .other:
            return nil
        }
        return row
    }

    /// The bytes of a checkpoint Parquet file for `snapshot` (with `tombstones`, default those in memory),
    /// and how many actions it holds.
    public static func encode(_ snapshot: Snapshot, tombstones: [String: RemoveAction]? = nil) throws
        -> (bytes: [UInt8], actionCount: Int)
    {
        var shredder = NestedRecordShredder(fields: parquetFields)
        for action in snapshot.checkpointActions(allTombstones: tombstones) {
            if let row = record(action) { try shredder.append(row) }
        }
        let result = try ParquetFileWriter.write(
            schema: ParquetSchema(parquetFields), columns: shredder.columns(), rowCount: shredder.rowCount)
        return (result.bytes, shredder.rowCount)
    }

    /// Writes the checkpoint of `snapshot` and then `_last_checkpoint`. A classic checkpoint may be
    /// overwritten: two writers produce the same content (PROTOCOL.md § Classic checkpoint).
    @discardableResult
    public static func write(log: TransactionLog, snapshot: Snapshot) throws -> Int {
        let encoded: (bytes: [UInt8], actionCount: Int)
        do {
            encoded = try encode(snapshot, tombstones: try allTombstones(log: log, snapshot: snapshot))
        } catch let error as DeltaError { throw error } catch {
            throw DeltaError(
                code: .parquet, table: log.tableName, version: snapshot.version,
                message: "cannot encode checkpoint: \(error)")
        }
        do {
            try log.store.put(log.checkpointKey(snapshot.version), encoded.bytes)
            let pointer = JSONValue.object([
                JSONMember("version", .int(snapshot.version)),
                JSONMember("size", .int(Int64(encoded.actionCount))),
                JSONMember("sizeInBytes", .int(Int64(encoded.bytes.count))),
                JSONMember("numOfAddFiles", .int(Int64(snapshot.fileCount))),
            ])
            try log.store.put(log.lastCheckpointKey, Array(JSONWriter.encode(pointer).utf8))
        } catch let error as StorageError {
            throw log.storageFailure(error, version: snapshot.version)
        }
        return encoded.bytes.count
    }

    /// Every tombstone of `snapshot` (not re-added since): those in memory and, when it has a
    /// `tombstoneBase`, those of that checkpoint, read back from its file.
    public static func allTombstones(log: TransactionLog, snapshot: Snapshot) throws -> [String: RemoveAction] {
        guard let base = snapshot.tombstoneBase else { return snapshot.tombstones }
        let bytes: [UInt8]
        do { bytes = try log.store.get(log.checkpointKey(base)) } catch let error as StorageError {
            throw log.storageFailure(error, version: base)
        }
        var tombstones: [String: RemoveAction] = [:]
        for case .remove(let remove) in try decode(bytes) where snapshot.files[remove.path] == nil {
            tombstones[remove.path] = remove
        }
        tombstones.merge(snapshot.tombstones) { $1 }
        return tombstones
    }

    /// Loads the snapshot stored in the checkpoint of `version`.
    public static func read(log: TransactionLog, version: Int64) throws -> Snapshot {
        let bytes: [UInt8]
        do { bytes = try log.store.get(log.checkpointKey(version)) } catch let error as StorageError {
            throw log.storageFailure(error, version: version)
        }
        do {
            var snapshot = Snapshot()
            try snapshot.apply(try decode(bytes), version: version, table: log.tableName)
            snapshot.checkpointVersion = version
            // Its tombstones stay in the file; read back only when a checkpoint or a vacuum needs them.
            snapshot.rebaseTombstones(onto: version)
            try log.checkReadable(snapshot)
            return snapshot
        } catch let error as DeltaError {
            throw error
        } catch {
            throw DeltaError(
                code: .invalidLog, table: log.tableName, version: version,
                message: "cannot read \(log.checkpointKey(version)): \(error)")
        }
    }

    /// The actions in a checkpoint file (ours or another writer's with the standard column names).
    public static func decode(_ bytes: [UInt8]) throws -> [DeltaAction] {
        let reader = try ParquetFileReader(bytes: bytes)
        let leaves = reader.schema.leaves.map { LeafShape(path: $0.path, maxDefinitionLevel: $0.maxDefinitionLevel) }
        return try decode(rowCount: Int(reader.rowCount), leaves: leaves) { try reader.readColumn($0) }
    }

    /// Path and maximum definition level of a leaf column.
    package struct LeafShape: Sendable, Equatable {
        package var path: [String]
        package var maxDefinitionLevel: Int
    }

    /// The actions in checkpoint columns; `readColumn` gives the column of a leaf index on demand.
    package static func decode(
        rowCount: Int, leaves: [LeafShape], readColumn: (Int) throws -> ColumnData
    ) throws -> [DeltaAction] {
        var cache: [[String]: NestedColumnReader] = [:]
        func column(_ path: [String]) throws -> NestedColumnReader? {
            if let cached = cache[path] { return cached }
            guard let index = leaves.firstIndex(where: { $0.path == path }) else { return nil }
            let reader = try NestedColumnReader(
                column: try readColumn(index), maxDefinitionLevel: leaves[index].maxDefinitionLevel,
                rowCount: rowCount)
            cache[path] = reader
            return reader
        }
        func leafMaxDefinition(_ path: [String]) -> Int {
            leaves.first(where: { $0.path == path })?.maxDefinitionLevel ?? 0
        }
        /// Map entries of a row: keys present at the key leaf's max definition level.
        func map(_ prefix: [String], row: Int) throws -> [String: String?]? {
            let keyPath = prefix + ["key_value", "key"]
            let valuePath = prefix + ["key_value", "value"]
            guard let keys = try column(keyPath), let values = try column(valuePath) else { return nil }
            let keyDefinition = leafMaxDefinition(keyPath)
            var map: [String: String?] = [:]
            for level in keys.entries(row: row, elementDefinition: keyDefinition) {
                if let key = keys.string(at: level) { map[key] = .some(values.string(at: level)) }
            }
            return map
        }
        func mapIsDefined(_ prefix: [String], row: Int) throws -> Bool {
            // The map group itself is defined when the key leaf's level reaches the map's own level.
            let keyPath = prefix + ["key_value", "key"]
            guard let keys = try column(keyPath) else { return false }
            return keys.definition(row: row) >= leafMaxDefinition(keyPath) - 1
        }

        var actions: [DeltaAction] = []
        for row in 0..<rowCount {
            if let paths = try column(["add", "path"]), let path = paths.string(row: row) {
                actions.append(
                    .add(
                        AddAction(
                            path: path,
                            partitionValues: try map(["add", "partitionValues"], row: row) ?? [:],
                            size: try column(["add", "size"])?.int64(row: row) ?? 0,
                            modificationTime: try column(["add", "modificationTime"])?.int64(row: row) ?? 0,
                            dataChange: try column(["add", "dataChange"])?.bool(row: row) ?? true,
                            stats: try column(["add", "stats"])?.string(row: row),
                            tags: try mapIsDefined(["add", "tags"], row: row)
                                ? (try map(["add", "tags"], row: row))?.compactMapValues { $0 } : nil)))
            }
            if let paths = try column(["remove", "path"]), let path = paths.string(row: row) {
                actions.append(
                    .remove(
                        RemoveAction(
                            path: path,
                            deletionTimestamp: try column(["remove", "deletionTimestamp"])?.int64(row: row),
                            dataChange: try column(["remove", "dataChange"])?.bool(row: row) ?? true,
                            extendedFileMetadata: try column(["remove", "extendedFileMetadata"])?.bool(row: row),
                            partitionValues: try mapIsDefined(["remove", "partitionValues"], row: row)
                                ? try map(["remove", "partitionValues"], row: row) : nil,
                            size: try column(["remove", "size"])?.int64(row: row))))
            }
            if let ids = try column(["metaData", "id"]), let id = ids.string(row: row) {
                var partitionColumns: [String] = []
                let elementPath = ["metaData", "partitionColumns", "list", "element"]
                if let elements = try column(elementPath) {
                    for level in elements.entries(row: row, elementDefinition: leafMaxDefinition(elementPath)) {
                        if let name = elements.string(at: level) { partitionColumns.append(name) }
                    }
                }
                actions.append(
                    .metadata(
                        MetadataAction(
                            id: id,
                            name: try column(["metaData", "name"])?.string(row: row),
                            description: try column(["metaData", "description"])?.string(row: row),
                            formatProvider: try column(["metaData", "format", "provider"])?.string(row: row)
                                ?? "parquet",
                            formatOptions: (try map(["metaData", "format", "options"], row: row) ?? [:])
                                .compactMapValues { $0 },
                            schemaString: try column(["metaData", "schemaString"])?.string(row: row) ?? "",
                            partitionColumns: partitionColumns,
                            configuration: (try map(["metaData", "configuration"], row: row) ?? [:])
                                .compactMapValues { $0 },
                            createdTime: try column(["metaData", "createdTime"])?.int64(row: row))))
            }
            if let readers = try column(["protocol", "minReaderVersion"]), let reader = readers.int64(row: row) {
                let writer = try column(["protocol", "minWriterVersion"])?.int64(row: row) ?? 0
                actions.append(
                    .protocol(
                        ProtocolAction(
                            minReaderVersion: Int32(clamping: reader), minWriterVersion: Int32(clamping: writer))))
            }
            if let appIds = try column(["txn", "appId"]), let appId = appIds.string(row: row),
                let version = try column(["txn", "version"])?.int64(row: row)
            {
                actions.append(
                    .txn(
                        TransactionAction(
                            appId: appId, version: version,
                            lastUpdated: try column(["txn", "lastUpdated"])?.int64(row: row))))
            }
        }
        return actions
    }
}
