import Testing

@testable import PulseTUI

/// Rates of counters that grow in steps (a table's rows, once per micro-batch), sampled more often than they step.
@Suite struct RateEstimatorTests {
    /// A counter adding `perStep` every `stepSeconds`, read every `sampleSeconds` for `seconds`.
    static func feed(
        perStep: Int64, stepSeconds: Double, sampleSeconds: Double, seconds: Double, into estimator: inout RateEstimator
    ) {
        var t = 0.0
        while t <= seconds {
            estimator.observe(Int64((t / stepSeconds).rounded(.down)) * perStep, at: t)
            t += sampleSeconds
        }
    }

    @Test func aStepwiseCounterReadsAtItsRateNotTwice() throws {
        // 10 rows a second landing as 20 every 2 s, read 4 times a second: a 1 s window read 0 or 20.
        var estimator = RateEstimator(window: 10)
        Self.feed(perStep: 20, stepSeconds: 2, sampleSeconds: 0.25, seconds: 30, into: &estimator)
        let rate = try #require(estimator.perSecond(at: 30))
        #expect(abs(rate - 10) < 0.5, "\(rate)")
        // Between steps it stays there.
        #expect(abs(try #require(estimator.perSecond(at: 31.5)) - 10) < 0.5)
    }

    @Test func aStoppedCounterFallsToZero() throws {
        var estimator = RateEstimator(window: 10)
        Self.feed(perStep: 20, stepSeconds: 2, sampleSeconds: 0.25, seconds: 30, into: &estimator)
        #expect(try #require(estimator.perSecond(at: 36)) < 7)
        #expect(estimator.perSecond(at: 45) == 0)
    }

    @Test func unknownUntilMeasurable() {
        var estimator = RateEstimator(window: 10)
        estimator.observe(5, at: 0)
        #expect(estimator.perSecond(at: 1) == nil)
        #expect(estimator.perSecond(at: 4) == 0)
        estimator.observe(3, at: 5)  // a replaced counter starts afresh
        #expect(estimator.changes.count == 1)
    }
}
