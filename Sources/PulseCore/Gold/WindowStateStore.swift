/// Gold window state saved per source partition at the offset it reflects, under
/// `_checkpoints/<topic>/<partition><epoch suffix>/<20-digit offset>.state`, always before the Gold
/// commit whose txn version is that offset, so recovery finds exactly the state each Gold table's
/// version needs.
struct WindowStateStore {
    let store: any ObjectStore
    let topic: String
    /// The broker epoch's suffix ("" or "@N"): each epoch's offsets have their own states.
    var epochSuffix = ""

    func folder(partition: Int32, epochSuffix: String? = nil) -> String {
        "_checkpoints/\(topic)/\(partition)\(epochSuffix ?? self.epochSuffix)/"
    }

    func key(partition: Int32, offset: Int64, epochSuffix: String? = nil) -> String {
        let digits = String(offset)
        return folder(partition: partition, epochSuffix: epochSuffix)
            + String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".state"
    }

    /// Saves through putIfAbsent: a state at an offset is deterministic, so an existing one (a replay
    /// after a crash) is the same bytes and is kept.
    func save(_ bytes: [UInt8], partition: Int32, offset: Int64) throws {
        _ = try store.putIfAbsent(key(partition: partition, offset: offset), bytes)
    }

    func load(partition: Int32, offset: Int64, epochSuffix: String? = nil) throws -> [UInt8] {
        try store.get(key(partition: partition, offset: offset, epochSuffix: epochSuffix))
    }

    /// Deletes states older than `keepFrom` but the newest few, bounding the folder.
    func prune(partition: Int32, below keepFrom: Int64) throws {
        let prefix = folder(partition: partition)
        let keys = try store.list(prefix: prefix).map(\.key).sorted()
        for key in keys.dropLast(3) {
            let name = key.dropFirst(prefix.count).prefix(20)
            if let offset = Int64(name), offset < keepFrom { try store.delete(key) }
        }
    }
}
