/// Keeps producers from outrunning what the embedded broker can hold. The mock broker keeps at most
/// 5 MiB or 100,000 messages per partition and silently drops the oldest beyond that, read or not; a
/// record dropped before the engine committed it would be lost. So, in the runs where producers and
/// engine share the embedded broker (the dashboard and `--no-ui`), a producer holds back while any
/// partition of its topic holds more than `pauseShare` of either limit past the engine's committed
/// offset, and resumes by itself once the engine has brought it under `resumeShare`.
public struct RetentionGuard: Sendable {
    public var maxBytes: Int64 = Int64(EmbeddedBroker.maxBytesPerPartition)
    public var maxMessages: Int64 = Int64(EmbeddedBroker.maxMessagesPerPartition)
    public var pauseShare = 0.4
    public var resumeShare = 0.2
    /// Bytes the mock stores per record beyond key and value (record and batch headers, conservatively).
    public var overheadBytes: Int64 = 80

    public init() {}

    /// Whether a producer of a topic should hold back, given what the broker acknowledged per partition,
    /// the engine's committed offsets per partition (empty before its first batch: nothing committed),
    /// and whether it is holding back now (hysteresis).
    public func shouldHoldBack(
        deliveries: [ProduceCounters.PartitionDelivery], committed: [Int64], holdingBack: Bool
    ) -> Bool {
        let share = holdingBack ? resumeShare : pauseShare
        for (p, delivery) in deliveries.enumerated() where delivery.records > 0 {
            let unread = max(0, delivery.end - (p < committed.count ? committed[p] : 0))
            let perRecord = delivery.bytes / delivery.records + overheadBytes
            if Double(unread) > share * Double(maxMessages) || Double(unread * perRecord) > share * Double(maxBytes) {
                return true
            }
        }
        return false
    }
}
