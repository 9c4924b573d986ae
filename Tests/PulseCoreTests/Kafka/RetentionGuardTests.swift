import Testing

@testable import PulseCore

@Suite struct RetentionGuardTests {
    typealias Delivery = ProduceCounters.PartitionDelivery

    @Test func holdsBackPastTheShareOfEitherLimitAndResumesBelowTheLowerOne() {
        let guard_ = RetentionGuard()
        // 10,000 records of 220 bytes (+80 overhead) unread in partition 1: 3 MB > 40 % of 5 MiB.
        let deliveries = [
            Delivery(end: 100, records: 100, bytes: 22_000), Delivery(end: 10_000, records: 10_000, bytes: 2_200_000),
        ]
        #expect(guard_.shouldHoldBack(deliveries: deliveries, committed: [100, 0], holdingBack: false))
        #expect(!guard_.shouldHoldBack(deliveries: deliveries, committed: [100, 5_000], holdingBack: false))
        // Hysteresis: once holding back, it resumes only under 20 %.
        #expect(guard_.shouldHoldBack(deliveries: deliveries, committed: [100, 5_000], holdingBack: true))
        #expect(!guard_.shouldHoldBack(deliveries: deliveries, committed: [100, 7_000], holdingBack: true))
        // Without per-record overhead, tiny records hit the message count first (40 % of 100,000).
        var counting = RetentionGuard()
        counting.overheadBytes = 0
        let tiny = [Delivery(end: 45_000, records: 45_000, bytes: 45_000)]
        #expect(counting.shouldHoldBack(deliveries: tiny, committed: [], holdingBack: false))
        #expect(!counting.shouldHoldBack(deliveries: tiny, committed: [10_000], holdingBack: false))
    }
}
