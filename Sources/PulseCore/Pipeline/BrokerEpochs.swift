import Foundation

/// Which broker a lakehouse's offsets belong to. Each broker identity (Kafka cluster id) the engine
/// has read a topic from is an epoch in `_checkpoints/<topic>/epochs.json`; offsets of a new broker
/// (a fresh embedded broker on a kept lakehouse) start again under appIds with an `@<epoch>` suffix,
/// so earlier progress is neither reused nor lost (ARCHITECTURE.md § Exactly-once).
struct BrokerEpochs {
    let store: any ObjectStore
    let topic: String

    var key: String { "_checkpoints/\(topic)/epochs.json" }

    /// The epoch number for `clusterID`, recording a new epoch when the cluster differs from the last one.
    func epoch(for clusterID: String) throws -> Int {
        var epochs = try load()
        if let last = epochs.last, last.clusterID == clusterID { return last.epoch }
        let next = (epochs.last?.epoch ?? 0) + 1
        epochs.append((next, clusterID))
        let body = try JSONSerialization.data(
            withJSONObject: ["epochs": epochs.map { ["epoch": $0.epoch, "clusterId": $0.clusterID] as [String: Any] }],
            options: [.sortedKeys])
        if epochs.count == 1 {
            // The first epoch may race another engine starting on the same lakehouse: first writer wins.
            if try !store.putIfAbsent(key, Array(body)) { return try epoch(for: clusterID) }
        } else {
            try store.put(key, Array(body))
        }
        return next
    }

    private func load() throws -> [(epoch: Int, clusterID: String)] {
        let bytes: [UInt8]
        do {
            bytes = try store.get(key)
        } catch let error as StorageError where error.code == .notFound {
            return []
        }
        guard let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
            let list = object["epochs"] as? [[String: Any]]
        else {
            throw PipelineError(.corruptCheckpoint, "\(key) is not an epochs document")
        }
        return list.compactMap { entry in
            guard let epoch = entry["epoch"] as? Int, let id = entry["clusterId"] as? String else { return nil }
            return (epoch, id)
        }
    }

    /// The suffix of this epoch's appIds and checkpoint folders: none for the first, "@N" after.
    static func suffix(_ epoch: Int) -> String { epoch <= 1 ? "" : "@\(epoch)" }
}
