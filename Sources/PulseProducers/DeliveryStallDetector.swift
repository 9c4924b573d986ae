import PulseCore

/// Tells a broker that stopped answering from a quiet one: records wait for their delivery reports
/// and none has settled for `threshold` seconds. A stopped (SIGSTOP, hung) broker keeps its connections
/// open, so librdkafka reports no error before its request timeout (60 s); this shows the stall in the
/// broker health within seconds, while the records stay queued (bounded) and are retried.
struct DeliveryStallDetector {
    let threshold: Double
    private var settled = -1
    private var stalledSince: Double?

    init(threshold: Double = 5) {
        self.threshold = threshold
    }

    /// Seconds since the last delivery report while records wait, once that reaches the threshold; nil
    /// while deliveries settle or nothing waits. Call about once a second with monotonic `now`.
    mutating func stalledSeconds(_ counters: ProduceCountersSnapshot, now: Double) -> Double? {
        let settledNow = counters.delivered + counters.failed
        if counters.inFlight <= 0 || settledNow != settled {
            settled = settledNow
            stalledSince = nil
            return nil
        }
        let since = stalledSince ?? now
        stalledSince = since
        return now - since >= threshold ? now - since : nil
    }
}
