/// How to read one micro-batch (`TopicReader.readBatch`).
public struct BatchReadRequest: Sendable {
    /// Ask the broker for the high watermarks instead of trusting the last fetch's (they are stale while
    /// a broker is stopped, or after the reader paused fetching).
    public var askBroker: Bool
    public var maxRecords: Int
    /// Key and value bytes after which the read stops (checked between polls, so one poll may pass it).
    /// Below `TopicReader.maxBatchBytes` it is a budget the value buffer is reserved for once a batch
    /// passes 1 MiB: grown by doubling instead, a 35 MB batch held 64 MB and briefly 96 MB.
    public var maxBytes: Int
    public var timeoutMs: Int
    /// Shown as the broker failing while a watermark request goes unanswered.
    public var health: BrokerHealth
    /// When the broker last answered (start of a failure spell, should this request hang).
    public var lastAnswerMicros: Int64

    public init(
        askBroker: Bool, maxRecords: Int, maxBytes: Int = TopicReader.maxBatchBytes, timeoutMs: Int,
        health: BrokerHealth, lastAnswerMicros: Int64
    ) {
        self.askBroker = askBroker
        self.maxRecords = maxRecords
        self.maxBytes = min(maxBytes, TopicReader.maxBatchBytes)
        self.timeoutMs = timeoutMs
        self.health = health
        self.lastAnswerMicros = lastAnswerMicros
    }
}

/// What `TopicReader.readBatch` read: the records went into the caller's batch.
public struct BatchRead: Sendable {
    /// High watermark per partition the read aimed at (lag = high - positions).
    public var high: [Int64]
    /// Next offset per partition after the read: the batch's end, recorded in the tables' txn actions.
    public var positions: [Int64]
    public var recordsRead: Int
    public var gaps: [OffsetGap]
    /// Whether the watermarks came from the broker (an answer) rather than the last fetch.
    public var askedBroker: Bool
    /// The batch stopped at `maxRecords` or `maxBytes`: there is more to read right away.
    public var full: Bool { recordsRead >= maxRecords || bytesRead >= maxBytes }
    var maxRecords: Int
    var maxBytes: Int
    var bytesRead = 0
}

extension TopicReader {
    /// Reads one micro-batch: up to `maxRecords`, until every partition reaches its high watermark or
    /// the timeout passes.
    public func readBatch(_ request: BatchReadRequest, into batch: inout KafkaRecordBatch) throws -> BatchRead {
        var cached = cachedHighWatermarks()
        // A group member never fetches the partitions it does not own: their watermarks are not its concern.
        if let owned {
            for p in 0..<partitionCount where !owned.contains(Int32(p)) { cached[p] = positions[p] }
        }
        var high: [Int64]
        let asked = request.askBroker || cached.contains { $0 == nil }
        if asked {
            // librdkafka ends a request to a broker that keeps the connection but never answers only after
            // socket.timeout.ms (60 s), whatever the call's timeout; the wait itself shows the broker failing.
            high = try request.health.awaitingAnswer("latest offsets of \(topic)", since: request.lastAnswerMicros) {
                try queryOffsets(earliest: false, timeoutMs: Int32(request.timeoutMs))
            }
        } else {
            high = cached.map { $0! }
        }
        // A fetch's watermarks can be older than the records already polled.
        for p in 0..<partitionCount { high[p] = max(high[p], positions[p]) }
        let outcome = read(
            targets: high, maxRecords: request.maxRecords, maxBytes: request.maxBytes, timeoutMs: request.timeoutMs,
            into: &batch)
        let result = BatchRead(
            high: high, positions: positions, recordsRead: outcome.recordsRead, gaps: outcome.gaps, askedBroker: asked,
            maxRecords: request.maxRecords, maxBytes: request.maxBytes,
            bytesRead: batch.byteCount)
        return result
    }
}
