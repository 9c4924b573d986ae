import Glibc

/// `protocol` action: the reader/writer versions a client needs (PROTOCOL.md § Protocol Evolution).
public struct ProtocolAction: Sendable, Equatable {
    public var minReaderVersion: Int32
    public var minWriterVersion: Int32

    /// pulse-tui writes 1/2: no reader features, writer features up to invariants and appendOnly.
    public init(minReaderVersion: Int32 = 1, minWriterVersion: Int32 = 2) {
        self.minReaderVersion = minReaderVersion
        self.minWriterVersion = minWriterVersion
    }
}

/// `metaData` action: table identity, schema, partitioning and configuration (PROTOCOL.md § Change Metadata).
public struct MetadataAction: Sendable, Equatable {
    public var id: String
    public var name: String?
    public var description: String?
    public var formatProvider: String
    public var formatOptions: [String: String]
    public var schemaString: String
    public var partitionColumns: [String]
    public var configuration: [String: String]
    public var createdTime: Int64?

    public init(
        id: String = UUIDString.random(), name: String? = nil, description: String? = nil,
        formatProvider: String = "parquet", formatOptions: [String: String] = [:], schemaString: String,
        partitionColumns: [String], configuration: [String: String] = [:], createdTime: Int64? = nil
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.formatProvider = formatProvider
        self.formatOptions = formatOptions
        self.schemaString = schemaString
        self.partitionColumns = partitionColumns
        self.configuration = configuration
        self.createdTime = createdTime
    }

    /// The parsed `schemaString`.
    public func schema() throws -> DeltaSchema { try DeltaSchema.parse(schemaString: schemaString) }
}

/// `add` action: a data file joins the table (PROTOCOL.md § Add File and Remove File).
public struct AddAction: Sendable, Equatable {
    /// Path relative to the table root, URI-encoded as written in the log (see `PartitionPath`).
    public var path: String
    /// Partition column -> serialised value; nil is a null partition value.
    public var partitionValues: [String: String?]
    public var size: Int64
    public var modificationTime: Int64
    public var dataChange: Bool
    /// Per-file statistics JSON text (`FileStatistics`), or nil.
    public var stats: String?
    public var tags: [String: String]?

    public init(
        path: String, partitionValues: [String: String?], size: Int64, modificationTime: Int64,
        dataChange: Bool = true, stats: String? = nil, tags: [String: String]? = nil
    ) {
        self.path = path
        self.partitionValues = partitionValues
        self.size = size
        self.modificationTime = modificationTime
        self.dataChange = dataChange
        self.stats = stats
        self.tags = tags
    }

    /// `numRecords` from `stats`, without parsing the whole statistics object.
    public var numRecords: Int64? { stats.flatMap(FileStatistics.numRecords(in:)) }
}

/// `remove` action: a data file leaves the table and stays as a tombstone until vacuumed.
public struct RemoveAction: Sendable, Equatable {
    public var path: String
    public var deletionTimestamp: Int64?
    public var dataChange: Bool
    public var extendedFileMetadata: Bool?
    public var partitionValues: [String: String?]?
    public var size: Int64?

    public init(
        path: String, deletionTimestamp: Int64?, dataChange: Bool = true, extendedFileMetadata: Bool? = nil,
        partitionValues: [String: String?]? = nil, size: Int64? = nil
    ) {
        self.path = path
        self.deletionTimestamp = deletionTimestamp
        self.dataChange = dataChange
        self.extendedFileMetadata = extendedFileMetadata
        self.partitionValues = partitionValues
        self.size = size
    }
}

/// `txn` action: an application's progress marker, committed atomically with its data
/// (PROTOCOL.md § Transaction Identifiers). pulse-tui uses appId "<topic>-<partition>" and version =
/// the next Kafka offset to read.
public struct TransactionAction: Sendable, Equatable {
    public var appId: String
    public var version: Int64
    public var lastUpdated: Int64?

    public init(appId: String, version: Int64, lastUpdated: Int64? = nil) {
        self.appId = appId
        self.version = version
        self.lastUpdated = lastUpdated
    }
}

/// `commitInfo` action: provenance only; never part of table state or checkpoints.
public struct CommitInfoAction: Sendable, Equatable {
    public var timestamp: Int64?
    public var operation: String?
    public var operationParameters: [String: String]
    public var engineInfo: String?
    public var isBlindAppend: Bool?
    /// A unique id per commit attempt; lets a writer recognise its own commit after an ambiguous failure.
    public var txnId: String?
    /// "host:pid" of the process that wrote the commit: with several engines on one lakehouse (a consumer
    /// group), which one committed what (`inspect`). Delta readers ignore commitInfo fields they do not know.
    public var writer: String?

    public init(
        timestamp: Int64? = nil, operation: String? = nil, operationParameters: [String: String] = [:],
        engineInfo: String? = nil, isBlindAppend: Bool? = nil, txnId: String? = nil,
        writer: String? = CommitInfoAction.thisProcess
    ) {
        self.timestamp = timestamp
        self.operation = operation
        self.operationParameters = operationParameters
        self.engineInfo = engineInfo
        self.isBlindAppend = isBlindAppend
        self.txnId = txnId
        self.writer = writer
    }

    /// This process as a `writer`: "host:pid".
    public static let thisProcess: String? = {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "unknown:\(getpid())" }
        return "\(String(cString: name)):\(getpid())"
    }()
}

/// One line of a Delta commit file.
public enum DeltaAction: Sendable, Equatable {
    case `protocol`(ProtocolAction)
    case metadata(MetadataAction)
    case add(AddAction)
    case remove(RemoveAction)
    case txn(TransactionAction)
    case commitInfo(CommitInfoAction)
    /// An action kind this implementation does not interpret (cdc, domainMetadata ...), kept by name.
    case other(String)
}
