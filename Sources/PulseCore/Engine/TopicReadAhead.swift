import Dispatch

/// Reads the next micro-batch on a second thread while the engine processes the current one. Used only
/// while there is a backlog (the last batch was full): then reading (polling and copying records)
/// overlaps parsing and writing on the machine's other core. A caught-up engine reads at the start of
/// each batch instead, so a read-ahead never makes fresh records wait a trigger interval longer.
///
/// Two buffers take turns: `take` hands over the read batch and keeps the caller's previous one, which
/// the next read fills.
final class TopicReadAhead: @unchecked Sendable {
    // @unchecked: `reader`, `buffer` and `outcome` are used by one thread at a time; `done` orders the
    // hand-over between the reading thread and the caller.
    private let reader: TopicReader
    private let queue = DispatchQueue(label: "pulse-tui.read-ahead")
    private let done = DispatchSemaphore(value: 0)
    private var buffer: KafkaRecordBatch
    private var outcome: Result<BatchRead, any Error>?
    /// A read is running or its result has not been taken.
    private(set) var isReading = false

    init(reader: TopicReader) {
        self.reader = reader
        buffer = KafkaRecordBatch(topic: reader.topic)
    }

    /// Starts reading the next batch on the read-ahead thread. The reader must not be used until `take`
    /// or `cancel`.
    func start(_ request: BatchReadRequest) {
        precondition(!isReading, "one read ahead at a time")
        isReading = true
        queue.async { [self] in
            buffer.removeAll()
            outcome = Result { try reader.readBatch(request, into: &buffer) }
            done.signal()
        }
    }

    /// Waits for the read and swaps its records into `batch` (whose old contents become the next read's
    /// buffer); rethrows the read's error.
    func take(into batch: inout KafkaRecordBatch) throws -> BatchRead {
        precondition(isReading, "nothing is being read")
        done.wait()
        isReading = false
        swap(&buffer, &batch)
        defer { outcome = nil }
        return try outcome!.get()
    }

    /// Waits for a read in flight and drops it; the reader's positions are then past records nobody
    /// processed, so the caller re-assigns it.
    func cancel() {
        guard isReading else { return }
        done.wait()
        isReading = false
        outcome = nil
    }
}
