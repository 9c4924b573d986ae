/// The `_delta_log` of one table: reading commits, replaying them into snapshots, and making new
/// commits with optimistic concurrency.
///
/// A commit is the file `_delta_log/<20-digit version>.json`, created ONLY with `putIfAbsent`, so two
/// writers can never both own a version. The loser reads the winner's commit, checks it for conflicts
/// (metadata or protocol changed, a `txn` for one of our appIds, a file both removed), and otherwise
/// retries at the next version: blind appends never conflict with each other.
public struct TransactionLog: Sendable {
    public let store: any ObjectStore
    /// Table key prefix without trailing slash ("bronze/bike"); "" for a table at the store root.
    public let tablePath: String
    /// How many versions one commit may try before giving up with `.tooManyRetries`.
    public var maxCommitAttempts: Int

    public init(store: any ObjectStore, tablePath: String, maxCommitAttempts: Int = 100) {
        var path = tablePath
        while path.hasSuffix("/") { path.removeLast() }
        while path.hasPrefix("/") { path.removeFirst() }
        self.store = store
        self.tablePath = path
        self.maxCommitAttempts = maxCommitAttempts
    }

    /// "<store> <path>", for error messages.
    public var tableName: String { "\(store.description) \(tablePath.isEmpty ? "/" : tablePath)" }

    /// Key prefix of the log directory, ending in "/".
    public var logPrefix: String { (tablePath.isEmpty ? "" : tablePath + "/") + "_delta_log/" }

    /// Store key of a table-relative path.
    public func key(relativePath: String) -> String { (tablePath.isEmpty ? "" : tablePath + "/") + relativePath }

    public func commitKey(_ version: Int64) -> String { logPrefix + TransactionLog.padded(version) + ".json" }
    public func checkpointKey(_ version: Int64) -> String {
        logPrefix + TransactionLog.padded(version) + ".checkpoint.parquet"
    }
    public var lastCheckpointKey: String { logPrefix + "_last_checkpoint" }

    static func padded(_ version: Int64) -> String {
        let digits = String(version)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    // MARK: - Reading

    /// The actions of commit `version`, or nil when that commit does not exist (yet).
    public func readCommit(_ version: Int64) throws -> [DeltaAction]? {
        let bytes: [UInt8]
        do {
            bytes = try store.get(commitKey(version))
        } catch let error as StorageError where error.code == .notFound {
            return nil
        } catch let error as StorageError {
            throw storageFailure(error, version: version)
        }
        do {
            return try DeltaAction.decodeCommit(bytes)
        } catch {
            throw DeltaError(
                code: .invalidLog, table: tableName, version: version,
                message: "\(commitKey(version)): \(error)")
        }
    }

    /// Commit and classic-checkpoint versions found by listing the log.
    public func listVersions() throws -> (commits: [Int64], checkpoints: [Int64]) {
        let objects: [ObjectInfo]
        do { objects = try store.list(prefix: logPrefix) } catch let error as StorageError {
            throw storageFailure(error, version: nil)
        }
        var commits: [Int64] = []
        var checkpoints: [Int64] = []
        for object in objects {
            let name = object.key.dropFirst(logPrefix.count)
            guard name.count > 20, let version = Int64(name.prefix(20)) else { continue }
            let rest = name.dropFirst(20)
            if rest == ".json" {
                commits.append(version)
            } else if rest == ".checkpoint.parquet" {
                checkpoints.append(version)
            }
        }
        return (commits.sorted(), checkpoints.sorted())
    }

    /// The latest snapshot, or nil when there is no table. Starts from `_last_checkpoint` (falling back to
    /// listing the log for the newest readable checkpoint), then applies later commits in order.
    ///
    /// The log must be contiguous: a commit file past a missing version (a stray or hand-copied
    /// `...999.json`) makes every Delta reader refuse the table, so it is refused here too, naming the
    /// file, rather than written around.
    public func loadSnapshot() throws -> Snapshot? {
        var base: Snapshot? = nil
        let listing = try listVersions()
        if let hint = try readLastCheckpoint() {
            base = try? Checkpoint.read(log: self, version: hint.version)
        }
        if base == nil {
            for version in listing.checkpoints.reversed() {
                if let snapshot = try? Checkpoint.read(log: self, version: version) {
                    base = snapshot
                    break
                }
            }
            if base == nil {
                guard let first = listing.commits.first else { return nil }
                if first != 0 {
                    throw DeltaError(
                        code: .invalidLog, table: tableName, version: first,
                        message: "the log starts at version \(first) and no checkpoint is readable")
                }
            }
        }
        let snapshot = try update(base ?? Snapshot())
        if let stray = listing.commits.first(where: { $0 > snapshot.version + 1 }) {
            throw DeltaError(
                code: .invalidLog, table: tableName, version: snapshot.version + 1,
                message: "\(commitKey(stray)) follows a gap: version \(snapshot.version + 1) is missing, so Delta "
                    + "readers refuse the table; remove the stray file or restore the missing commits")
        }
        return snapshot.version < 0 ? nil : snapshot
    }

    /// `snapshot` with every later commit applied, read one version at a time until the next is missing.
    public func update(_ snapshot: Snapshot) throws -> Snapshot {
        var current = snapshot
        while let actions = try readCommit(current.version + 1) {
            try current.apply(actions, version: current.version + 1, table: tableName)
        }
        if current.version >= 0 { try checkReadable(current) }
        return current
    }

    /// Throws unless the snapshot has protocol and metadata and this implementation may read it.
    func checkReadable(_ snapshot: Snapshot) throws {
        guard snapshot.isComplete else {
            throw DeltaError(
                code: .invalidLog, table: tableName, version: snapshot.version,
                message: "no protocol or metaData action up to this version")
        }
        // Reader version 1 only: no column mapping, deletion vectors or other reader features.
        guard snapshot.protocol.minReaderVersion <= 1 else {
            throw DeltaError(
                code: .unsupportedProtocol, table: tableName, version: snapshot.version,
                message: "table needs reader version \(snapshot.protocol.minReaderVersion); supported: 1")
        }
    }

    /// Throws unless this implementation may write the table (writer version <= 2: appendOnly and
    /// invariants, neither of which an append can break here).
    func checkWritable(_ snapshot: Snapshot) throws {
        try checkReadable(snapshot)
        guard snapshot.protocol.minWriterVersion <= 2 else {
            throw DeltaError(
                code: .unsupportedProtocol, table: tableName, version: snapshot.version,
                message: "table needs writer version \(snapshot.protocol.minWriterVersion); supported: up to 2")
        }
    }

    /// `_last_checkpoint` content, or nil when absent or unreadable (it is only a hint).
    public func readLastCheckpoint() throws -> (version: Int64, size: Int64)? {
        let bytes: [UInt8]
        do { bytes = try store.get(lastCheckpointKey) } catch let error as StorageError {
            if error.code == .notFound { return nil }
            throw storageFailure(error, version: nil)
        }
        guard let json = try? JSONParser.parse(bytes), let version = json["version"]?.int64Value else { return nil }
        return (version, json["size"]?.int64Value ?? 0)
    }

    // MARK: - Committing

    /// The outcome of a commit: its version and the snapshot right after it.
    public struct Committed: Sendable {
        public var version: Int64
        public var snapshot: Snapshot
        /// How many versions were lost to other writers before this one was won.
        public var lostRaces: Int
    }

    /// Commits `actions` as the version after `base` (nil: version 0, creating the table).
    ///
    /// The actions should contain a `commitInfo` with a unique `txnId`; if a lost race turns out to be our
    /// own earlier attempt (an ambiguous failure retried), that version is returned as ours.
    public func commit(_ actions: [DeltaAction], base: Snapshot?) throws -> Committed {
        let bytes = DeltaAction.encodeCommit(actions)
        var current = base ?? Snapshot()
        let ours = CommitFootprint(actions)
        for attempt in 0..<maxCommitAttempts {
            let version = current.version + 1
            let won: Bool
            do { won = try store.putIfAbsent(commitKey(version), bytes) } catch let error as StorageError {
                throw storageFailure(error, version: version)
            }
            if won {
                let snapshot = try current.applying(actions, version: version, table: tableName)
                return Committed(version: version, snapshot: snapshot, lostRaces: attempt)
            }
            guard let theirs = try readCommit(version) else {
                throw DeltaError(
                    code: .invalidLog, table: tableName, version: version,
                    message: "putIfAbsent reported the commit exists but it cannot be read")
            }
            let footprint = CommitFootprint(theirs)
            if let id = ours.commitId, id == footprint.commitId {
                let snapshot = try current.applying(theirs, version: version, table: tableName)
                return Committed(version: version, snapshot: snapshot, lostRaces: attempt)
            }
            try checkConflicts(ours: ours, theirs: footprint, version: version, creating: base == nil)
            try current.apply(theirs, version: version, table: tableName)
        }
        throw DeltaError(
            code: .tooManyRetries, table: tableName, version: current.version + 1,
            message: "lost the commit race \(maxCommitAttempts) times in a row")
    }

    private func checkConflicts(
        ours: CommitFootprint, theirs: CommitFootprint, version: Int64, creating: Bool
    ) throws {
        if creating || theirs.changesMetadata {
            throw DeltaError(
                code: .concurrentMetadataChange, table: tableName, version: version,
                message: creating
                    ? "another writer created the table first"
                    : "another writer changed the table's metadata or protocol; re-read the table and retry")
        }
        for (appId, ourVersion) in ours.transactions {
            if let theirVersion = theirs.transactions[appId] {
                throw DeltaError(
                    code: .concurrentTransaction, table: tableName, version: version,
                    message: "another writer committed txn \(appId)=\(theirVersion) while we were committing "
                        + "\(appId)=\(ourVersion); two writers own this source partition, this commit is dropped")
            }
        }
        let doubleRemoved = ours.removedPaths.intersection(theirs.removedPaths)
        if let path = doubleRemoved.first {
            throw DeltaError(
                code: .concurrentDelete, table: tableName, version: version,
                message: "file \(path) was removed by another writer too")
        }
    }

    func storageFailure(_ error: StorageError, version: Int64?) -> DeltaError {
        DeltaError(
            code: error.code == .notFound ? .tableNotFound : .storage, table: tableName, version: version,
            message: "\(error.operation) of \(error.key) failed", storageError: error)
    }
}

/// What a commit touches, for conflict checks.
struct CommitFootprint {
    var changesMetadata = false
    var transactions: [String: Int64] = [:]
    var removedPaths: Set<String> = []
    var commitId: String? = nil

    init(_ actions: [DeltaAction]) {
        for action in actions {
            switch action {
            case .metadata, .protocol: changesMetadata = true
            case .txn(let txn): transactions[txn.appId] = txn.version
            case .remove(let remove): removedPaths.insert(remove.path)
            case .commitInfo(let info): commitId = info.txnId
            case .add, .other: break
            }
        }
    }
}
