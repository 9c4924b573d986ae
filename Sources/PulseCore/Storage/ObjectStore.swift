/// One stored object as a listing reports it.
public struct ObjectInfo: Sendable, Equatable {
    /// Key relative to the store root, `/`-separated ("bronze/bike/_delta_log/00000000000000000000.json").
    public var key: String
    /// Size in bytes.
    public var size: Int64
    /// Last modification time in milliseconds since the Unix epoch.
    public var lastModified: Int64

    public init(key: String, size: Int64, lastModified: Int64) {
        self.key = key
        self.size = size
        self.lastModified = lastModified
    }
}

/// Where tables live: local disk now, S3 later. Synchronous, because the engine runs on its own threads.
///
/// Contract every implementation keeps:
/// - `put` never leaves a half-written object visible under its final key.
/// - `putIfAbsent` is atomic: of many callers racing for one key exactly one gets `true`. Delta commits
///   rely on this and on nothing else.
/// - `list(prefix:)` returns keys that start with `prefix` (a plain string prefix, as S3), sorted by key.
public protocol ObjectStore: Sendable {
    /// "file:///abs/path" or "s3://bucket/prefix"; never credentials.
    var description: String { get }
    /// The object's bytes; throws `StorageError` with code `.notFound` when there is no such key.
    func get(_ key: String) throws -> [UInt8]
    /// Stores `data` under `key`, replacing any object there, atomically.
    func put(_ key: String, _ data: [UInt8]) throws
    /// Stores `data` under `key` only if no object has that key; `false` means another writer got there first.
    func putIfAbsent(_ key: String, _ data: [UInt8]) throws -> Bool
    /// Keys starting with `prefix`, sorted by key.
    func list(prefix: String) throws -> [ObjectInfo]
    /// Removes the object; removing a missing key is not an error (as on S3).
    func delete(_ key: String) throws
}
