/// Offsets the broker no longer had when the engine came to read them (retention, a deleted topic, a
/// broker that dropped records), kept in the lakehouse so the loss stays visible after the run:
/// `_checkpoints/<topic>/gaps/<partition><epoch suffix>-<20-digit first offset>.json`, one file per gap,
/// written before the commit that moves past it. `inspect` lists them.
public struct GapLog: Sendable {
    /// A gap as recorded.
    public struct Entry: Sendable, Equatable {
        public var topic: String
        public var partition: Int32
        /// Broker epoch (`BrokerEpochs`) and its cluster id.
        public var epoch: Int
        public var clusterID: String
        /// First missing offset and the first offset the broker still had.
        public var from: Int64
        public var to: Int64
        /// When the engine found it, epoch microseconds.
        public var detectedMicros: Int64

        public var missing: Int64 { to - from }
    }

    let store: any ObjectStore

    public init(store: any ObjectStore) { self.store = store }

    static func folder(topic: String) -> String { "_checkpoints/\(topic)/gaps/" }

    /// Records `gap` found in `epoch`; the same gap found again (a replay after a crash) keeps its file.
    func record(_ gap: OffsetGap, epoch: Int, clusterID: String, atMicros now: Int64) throws {
        let digits = String(gap.expected)
        let key =
            GapLog.folder(topic: gap.topic) + "\(gap.partition)\(BrokerEpochs.suffix(epoch))-"
            + String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".json"
        let body: JSONValue = .object([
            JSONMember("topic", .string(gap.topic)), JSONMember("partition", .int(Int64(gap.partition))),
            JSONMember("epoch", .int(Int64(epoch))), JSONMember("clusterId", .string(clusterID)),
            JSONMember("from", .int(gap.expected)), JSONMember("to", .int(gap.resumedAt)),
            JSONMember("missing", .int(gap.missing)), JSONMember("detectedAt", .int(now)),
        ])
        _ = try store.putIfAbsent(key, Array(JSONWriter.encode(body).utf8))
    }

    /// Every gap recorded for `topic`, in key order; files that cannot be read are skipped.
    public func entries(topic: String) throws -> [Entry] {
        let keys = try store.list(prefix: GapLog.folder(topic: topic)).map(\.key).filter { $0.hasSuffix(".json") }
        return keys.sorted().compactMap { key in
            guard let bytes = try? store.get(key), let json = try? JSONParser.parse(bytes),
                let partition = json["partition"]?.int64Value, let epoch = json["epoch"]?.int64Value,
                let from = json["from"]?.int64Value, let to = json["to"]?.int64Value
            else { return nil }
            return Entry(
                topic: json["topic"]?.stringValue ?? topic, partition: Int32(clamping: partition),
                epoch: Int(clamping: epoch), clusterID: json["clusterId"]?.stringValue ?? "",
                from: from, to: to, detectedMicros: json["detectedAt"]?.int64Value ?? 0)
        }
    }
}
