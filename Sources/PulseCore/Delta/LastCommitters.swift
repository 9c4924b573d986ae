/// Which process last advanced a `txn` appId of a table, read from the commits' `commitInfo.writer`:
/// with several engines on one lakehouse (a consumer group), who wrote each partition's progress last.
public struct LastCommitter: Sendable, Equatable {
    /// The table version of that commit.
    public var version: Int64
    /// "host:pid" (nil: written before commits named their writer, or by another tool).
    public var writer: String?
    /// Milliseconds since the epoch, from commitInfo.
    public var timestampMillis: Int64?
}

extension DeltaTable {
    /// The last commit that recorded each of `appIds`, looking back at most `lookback` commits from the
    /// latest (older commit files may be gone after log cleanup); an appId not found there is absent.
    public func lastCommitters(of appIds: Set<String>, lookback: Int64 = 500) throws -> [String: LastCommitter] {
        guard let latest = try snapshot()?.version else { return [:] }
        var found: [String: LastCommitter] = [:]
        var version = latest
        while version >= 0, version > latest - lookback, found.count < appIds.count {
            guard let actions = try log.readCommit(version) else { break }
            var info: CommitInfoAction?
            var recorded: [String] = []
            for action in actions {
                switch action {
                case .commitInfo(let commitInfo): info = commitInfo
                case .txn(let txn) where appIds.contains(txn.appId) && found[txn.appId] == nil:
                    recorded.append(txn.appId)
                default: break
                }
            }
            for appId in recorded {
                found[appId] = LastCommitter(version: version, writer: info?.writer, timestampMillis: info?.timestamp)
            }
            version -= 1
        }
        return found
    }
}
