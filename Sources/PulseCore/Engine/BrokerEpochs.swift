/// Which broker a lakehouse's offsets belong to. Each broker identity (Kafka cluster id) the engine
/// has read a topic from is an epoch in `_checkpoints/<topic>/epochs.json`; offsets of a new broker
/// (a fresh embedded broker on a kept lakehouse) start again under appIds with an `@<epoch>` suffix,
/// so earlier progress is neither reused nor lost (ARCHITECTURE.md § Exactly-once). Each epoch also
/// records the topic's partition count, which tells whether the previous epoch's Gold state can carry
/// over partition by partition (stations map to the same partitions only when the count is the same).
struct BrokerEpochs {
    /// One broker identity the topic was read from.
    struct Epoch: Equatable {
        var number: Int
        var clusterID: String
        /// Partitions of the topic on that broker; nil in files written before it was recorded.
        var partitions: Int?
    }

    let store: any ObjectStore
    let topic: String

    var key: String { "_checkpoints/\(topic)/epochs.json" }

    /// The epoch of `clusterID` (recording a new one when the cluster differs from the last), and every
    /// epoch recorded, oldest first.
    ///
    /// The Delta log is the record of last resort: Bronze's commits carry `txn {appId: "broker-<cluster
    /// id>", version: epoch}` (`logged`). A missing epochs.json is rebuilt from those; a missing file
    /// while the tables hold offsets of this topic but no such marker (a lakehouse written before the
    /// markers) cannot be rebuilt and is refused, since guessing would reuse another broker's offsets.
    func epoch(for clusterID: String, partitions: Int, logged: [String: Int] = [:], tablesHaveOffsets: Bool = false)
        throws
        -> (current: Epoch, all: [Epoch])
    {
        var epochs = try load()
        if epochs.isEmpty && !logged.isEmpty {
            epochs = logged.map { Epoch(number: $0.value, clusterID: $0.key, partitions: nil) }.sorted {
                $0.number < $1.number
            }
            guard try store.putIfAbsent(key, Array(JSONWriter.encode(Self.document(epochs)).utf8)) else {
                return try epoch(
                    for: clusterID, partitions: partitions, logged: logged, tablesHaveOffsets: tablesHaveOffsets)
            }
        } else if epochs.isEmpty && tablesHaveOffsets {
            throw PipelineError(
                .corruptState,
                "\(store.description) \(key) is missing, and the tables hold offsets of topic \(topic) without saying "
                    + "which broker they belong to: restore the file (a new broker would otherwise reuse those offsets)"
            )
        }
        if let last = epochs.last, last.clusterID == clusterID { return (last, epochs) }
        let next = Epoch(number: (epochs.last?.number ?? 0) + 1, clusterID: clusterID, partitions: partitions)
        if epochs.isEmpty {
            // The first epoch may race another engine starting on the same lakehouse: first writer wins.
            let body = Array(JSONWriter.encode(Self.document([next])).utf8)
            if try !store.putIfAbsent(key, body) {
                return try epoch(
                    for: clusterID, partitions: partitions, logged: logged, tablesHaveOffsets: tablesHaveOffsets)
            }
            return (next, [next])
        }
        return (next, try append(next, to: epochs))
    }

    private func append(_ epoch: Epoch, to epochs: [Epoch]) throws -> [Epoch] {
        let all = epochs + [epoch]
        try store.put(key, Array(JSONWriter.encode(Self.document(all)).utf8))
        return all
    }

    /// The appId of the txn that records, in a table's log, that `clusterID` is epoch N of this lakehouse.
    static func markerAppId(clusterID: String) -> String { "broker-\(clusterID)" }

    /// The recorded epochs; none when the file does not exist. A file that is not an epochs document
    /// is an error naming the file and what is wrong, never silently replaced: the offsets of every
    /// table depend on it.
    func load() throws -> [Epoch] {
        let bytes: [UInt8]
        do {
            bytes = try store.get(key)
        } catch let error as StorageError where error.code == .notFound {
            return []
        }
        func corrupt(_ what: String) -> PipelineError {
            PipelineError(
                .corruptState,
                "\(store.description) \(key): \(what); it maps broker cluster ids to the appId suffixes in every "
                    + "table's txn actions: restore it, or remove it only together with the tables of topic \(topic)")
        }
        let json: JSONValue
        do { json = try JSONParser.parse(bytes) } catch { throw corrupt("not JSON (\(error))") }
        guard case .array(let list)? = json["epochs"] else { throw corrupt("no \"epochs\" array") }
        var epochs: [Epoch] = []
        for (i, entry) in list.enumerated() {
            guard let number = entry["epoch"]?.int64Value, number == Int64(epochs.count + 1),
                let id = entry["clusterId"]?.stringValue
            else {
                throw corrupt("entry \(i) is not {\"epoch\": \(epochs.count + 1), \"clusterId\": \"...\"}")
            }
            let partitions = entry["partitions"]?.int64Value.flatMap { $0 > 0 && $0 <= 1 << 20 ? Int($0) : nil }
            epochs.append(Epoch(number: Int(number), clusterID: id, partitions: partitions))
        }
        return epochs
    }

    static func document(_ epochs: [Epoch]) -> JSONValue {
        .object([
            JSONMember(
                "epochs",
                .array(
                    epochs.map { epoch in
                        .members([
                            ("clusterId", .string(epoch.clusterID)), ("epoch", .int(Int64(epoch.number))),
                            ("partitions", epoch.partitions.map { .int(Int64($0)) }),
                        ])
                    }))
        ])
    }

    /// The suffix of this epoch's appIds and checkpoint folders: none for the first, "@N" after.
    static func suffix(_ epoch: Int) -> String { epoch <= 1 ? "" : "@\(epoch)" }
}
