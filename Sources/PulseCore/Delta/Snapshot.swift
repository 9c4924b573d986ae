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
    /// Removed files not yet re-added, by path, since `tombstoneBase`: tombstones kept for VACUUM and
    /// checkpoints. Only the ones since the last checkpoint are held in memory, so memory is bounded by the
    /// live files and recent commits, not by every file ever removed; the rest are read from that
    /// checkpoint when needed (`DeltaTable.allTombstones`).
    public internal(set) var tombstones: [String: RemoveAction]
    /// The version at which each tombstone of `tombstones` was removed.
    var tombstoneVersions: [String: Int64] = [:]
    /// The checkpoint whose file holds the tombstones older than `tombstones`; nil when `tombstones` has them all.
    public internal(set) var tombstoneBase: Int64? = nil
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
                tombstoneVersions.removeValue(forKey: add.path)
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
                tombstoneVersions[remove.path] = version
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

    /// The actions a checkpoint of this snapshot holds: protocol, metadata, txns, active files and the
    /// tombstones of `allTombstones` (default: those in memory) younger than `tombstoneRetentionMillis`
    /// (PROTOCOL.md § Checkpoints). The default retention is the table's `delta.deletedFileRetentionDuration`
    /// (7 days), capped at `checkpointTombstoneCapMillis`: see there.
    public func checkpointActions(
        now: Int64 = WallClock.nowMilliseconds(), tombstoneRetentionMillis: Int64? = nil,
        allTombstones: [String: RemoveAction]? = nil
    ) -> [DeltaAction] {
        let tombstoneRetentionMillis =
            tombstoneRetentionMillis
            ?? min(
                (try? metadata.deletedFileRetentionMillis()) ?? TableProperties.defaultDeletedFileRetentionMillis,
                Snapshot.checkpointTombstoneCapMillis)
        let tombstones = allTombstones ?? self.tombstones
        var actions: [DeltaAction] = [.protocol(self.protocol), .metadata(metadata)]
        for appId in transactionActions.keys.sorted() { actions.append(.txn(transactionActions[appId]!)) }
        for path in files.keys.sorted() { actions.append(.add(files[path]!)) }
        for path in tombstones.keys.sorted() where files[path] == nil {
            let tombstone = tombstones[path]!
            if let deleted = tombstone.deletionTimestamp, deleted < now - tombstoneRetentionMillis { continue }
            actions.append(.remove(tombstone))
        }
        return actions
    }

    /// How long a tombstone stays in the checkpoints this implementation writes, at most: ten minutes.
    /// A streaming table removes a file for every file it compacts, every few seconds; a week of them
    /// re-listed in every checkpoint would make the log outweigh the data (issue 12). A file whose tombstone
    /// left the checkpoints is one VACUUM judges by its modification time, which for these files is within
    /// minutes of their removal (they are compacted soon after they are written).
    public static let checkpointTombstoneCapMillis: Int64 = 600_000

    /// Forgets the tombstones a checkpoint at `version` now holds: from here on they are read from it.
    mutating func rebaseTombstones(onto version: Int64) {
        guard version <= self.version, (tombstoneBase ?? -1) < version else { return }
        for (path, removedAt) in tombstoneVersions where removedAt <= version {
            tombstones.removeValue(forKey: path)
            tombstoneVersions.removeValue(forKey: path)
        }
        tombstoneBase = version
    }
}

extension Snapshot: Equatable {
    /// Same version and same table state (ignores where it was loaded from, and so which tombstones are
    /// in memory).
    public static func == (left: Snapshot, right: Snapshot) -> Bool {
        left.version == right.version && left.protocol == right.protocol && left.metadata == right.metadata
            && left.files == right.files
            && left.transactionActions == right.transactionActions && left.rowCount == right.rowCount
            && left.byteCount == right.byteCount
    }
}
