/// The one error type of the Delta layer: what failed, on which table (and version), and what to do.
public struct DeltaError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure; a struct over a private enum so kinds can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case tableNotFound, invalidLog, unsupportedProtocol, schemaMismatch, invalidBatch
            case concurrentTransaction, concurrentMetadataChange, concurrentDelete, tooManyRetries
            case staleTransaction, storage, parquet
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// No `_delta_log/00000000000000000000.json` (or checkpoint) at the table path.
        public static let tableNotFound = Code(.tableNotFound)
        /// A log file, checkpoint or `_last_checkpoint` could not be parsed or breaks the protocol.
        public static let invalidLog = Code(.invalidLog)
        /// The table needs reader/writer features this implementation does not have.
        public static let unsupportedProtocol = Code(.unsupportedProtocol)
        /// The table's schema or partition columns differ from the ones given.
        public static let schemaMismatch = Code(.schemaMismatch)
        /// A `RecordBatch` does not fit its schema (column count, types, null levels).
        public static let invalidBatch = Code(.invalidBatch)
        /// Another writer committed a `txn` for one of our appIds since our snapshot: the exactly-once guard.
        public static let concurrentTransaction = Code(.concurrentTransaction)
        /// Another writer changed the table's metadata or protocol since our snapshot.
        public static let concurrentMetadataChange = Code(.concurrentMetadataChange)
        /// Another writer removed a file this commit removes too.
        public static let concurrentDelete = Code(.concurrentDelete)
        /// Lost the commit race more often than the retry bound allows.
        public static let tooManyRetries = Code(.tooManyRetries)
        /// The table already holds a `txn` version >= the one given: these records were committed before.
        public static let staleTransaction = Code(.staleTransaction)
        /// The object store failed (see `storageError`).
        public static let storage = Code(.storage)
        /// Writing or reading a Parquet file failed.
        public static let parquet = Code(.parquet)

        public var description: String {
            switch base {
            case .tableNotFound: return "table not found"
            case .invalidLog: return "invalid log"
            case .unsupportedProtocol: return "unsupported protocol"
            case .schemaMismatch: return "schema mismatch"
            case .invalidBatch: return "invalid batch"
            case .concurrentTransaction: return "concurrent transaction"
            case .concurrentMetadataChange: return "concurrent metadata change"
            case .concurrentDelete: return "concurrent delete"
            case .tooManyRetries: return "too many commit retries"
            case .staleTransaction: return "stale transaction version"
            case .storage: return "storage failure"
            case .parquet: return "parquet failure"
            }
        }
    }

    /// The kind of failure.
    public var code: Code
    /// The table ("file:///data/lakehouse bronze/bike").
    public var table: String
    /// The log version involved, when there is one.
    public var version: Int64?
    /// What happened, with the context needed to act on it.
    public var message: String
    /// The storage failure underneath, when `code == .storage`.
    public var storageError: StorageError?

    public init(
        code: Code, table: String, version: Int64? = nil, message: String, storageError: StorageError? = nil
    ) {
        self.code = code
        self.table = table
        self.version = version
        self.message = message
        self.storageError = storageError
    }

    public var description: String {
        var text = "delta \(code) on \(table)"
        if let version { text += " at version \(version)" }
        text += ": \(message)"
        if let storageError { text += " [\(storageError)]" }
        return text
    }
}
