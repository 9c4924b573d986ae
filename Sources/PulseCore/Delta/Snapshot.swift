/// The state of a table at one version: the result of replaying its log (PROTOCOL.md § Action
/// Reconciliation). Value type; `applying` a later commit gives the next snapshot.
public struct Snapshot: Sendable {
    /// The log version this state reflects.
    public internal(set) var version: Int64
    public internal(set) var `protocol`: ProtocolAction
    public internal(set) var metadata: MetadataAction
    /// Parsed `metadata.schemaString`.
    public internal(set) var schema: DeltaSchema
    /// Active data files by `add.path` (log form).
    public internal(set) var files: [String: AddAction]
    /// Removed files not yet re-added, by path: tombstones kept for VACUUM and checkpoints.
    public internal(set) var tombstones: [String: RemoveAction]
    /// Latest `txn` per appId.
    public internal(set) var transactionActions: [String: TransactionAction]
    /// Sum of `numRecords` over active files (files without stats count 0; see `filesWithoutStats`).
    public internal(set) var rowCount: Int64
    /// Sum of `size` over active files.
    public internal(set) var byteCount: Int64
    /// Active files whose stats carry no `numRecords`.
    public internal(set) var filesWithoutStats: Int
    /// Version of the checkpoint this snapshot was loaded from, if any.
    public internal(set) var checkpointVersion: Int64?

    /// Number of active files.
    public var fileCount: Int { files.count }
    /// appId -> latest `txn.version`.
    public var transactions: [String: Int64] { transactionActions.mapValues(\.version) }
    /// Partition columns, in order.
    public var partitionColumns: [String] { metadata.partitionColumns }

    /// A snapshot before any action (version -1); only replay uses it (and the Delta log fuzz target).
    package init() {
        version = -1
        self.protocol = ProtocolAction(minReaderVersion: 0, minWriterVersion: 0)
        metadata = MetadataAction(id: "", schemaString: "", partitionColumns: [])
        schema = DeltaSchema([])
        files = [:]
        tombstones = [:]
        transactionActions = [:]
        rowCount = 0
        byteCount = 0
        filesWithoutStats = 0
        checkpointVersion = nil
    }

    /// True once a protocol and a metadata action have been seen.
    var isComplete: Bool { !metadata.id.isEmpty && self.protocol.minReaderVersion > 0 }

    /// This snapshot with the actions of commit `version` applied.
    public func applying(_ actions: [DeltaAction], version: Int64, table: String = "") throws -> Snapshot {
        var next = self
        try next.apply(actions, version: version, table: table)
        return next
    }

    /// Applies the actions of commit `version` (which must be the next version, or any version for a
    /// checkpoint's content).
    mutating func apply(_ actions: [DeltaAction], version: Int64, table: String) throws {
        for action in actions {
            switch action {
            case .protocol(let action):
                self.protocol = action
            case .metadata(let action):
                schema = try DeltaSchema.parse(schemaString: action.schemaString, table: table)
                metadata = action
            case .add(let add):
                if let previous = files[add.path] { forget(previous) }
                tombstones.removeValue(forKey: add.path)
                files[add.path] = add
                // Wrapping: sizes and counts come from the log (any writer's); an absurd one must not trap,
                // and the totals stay exact whenever they fit in Int64.
                if let records = add.numRecords {
                    rowCount &+= records
                } else {
                    filesWithoutStats += 1
                }
                byteCount &+= add.size
            case .remove(let remove):
                if let previous = files.removeValue(forKey: remove.path) { forget(previous) }
                tombstones[remove.path] = remove
            case .txn(let txn):
                transactionActions[txn.appId] = txn
            case .commitInfo, .other:
                break
            }
        }
        self.version = version
    }

    private mutating func forget(_ add: AddAction) {
        if let records = add.numRecords {
            rowCount &-= records
        } else {
            filesWithoutStats -= 1
        }
        byteCount &-= add.size
    }

    /// The actions a checkpoint of this snapshot holds: protocol, metadata, txns, active files and
    /// tombstones younger than `tombstoneRetentionMillis` (PROTOCOL.md § Checkpoints): by default the
    /// table's `delta.deletedFileRetentionDuration`, since VACUUM keeps a removed file only while a
    /// tombstone names it (7 days when the property is absent or unreadable).
    public func checkpointActions(
        now: Int64 = WallClock.nowMilliseconds(), tombstoneRetentionMillis: Int64? = nil
    ) -> [DeltaAction] {
        let tombstoneRetentionMillis =
            tombstoneRetentionMillis ?? (try? metadata.deletedFileRetentionMillis())
            ?? TableProperties.defaultDeletedFileRetentionMillis
        var actions: [DeltaAction] = [.protocol(self.protocol), .metadata(metadata)]
        for appId in transactionActions.keys.sorted() { actions.append(.txn(transactionActions[appId]!)) }
        for path in files.keys.sorted() { actions.append(.add(files[path]!)) }
        for path in tombstones.keys.sorted() {
            let tombstone = tombstones[path]!
            if let deleted = tombstone.deletionTimestamp, deleted < now - tombstoneRetentionMillis { continue }
            actions.append(.remove(tombstone))
        }
        return actions
    }
}

extension Snapshot: Equatable {
    /// Same version and same table state (ignores where it was loaded from).
    public static func == (left: Snapshot, right: Snapshot) -> Bool {
        left.version == right.version && left.protocol == right.protocol && left.metadata == right.metadata
            && left.files == right.files && left.tombstones == right.tombstones
            && left.transactionActions == right.transactionActions && left.rowCount == right.rowCount
            && left.byteCount == right.byteCount
    }
}
