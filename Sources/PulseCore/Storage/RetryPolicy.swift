#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How often and how patiently a remote call is retried: exponential backoff with full jitter, so many
/// writers that failed together do not come back together.
public struct RetryPolicy: Sendable {
    /// Attempts in total, the first included.
    public var attempts: Int
    /// Upper bound of the first pause, in seconds; doubles per attempt.
    public var baseDelay: Double
    /// Upper bound of any pause, in seconds.
    public var maxDelay: Double

    public init(attempts: Int = 5, baseDelay: Double = 0.1, maxDelay: Double = 2) {
        self.attempts = max(1, attempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// A random pause for retry number `retry` (0 after the first failure): uniform in [0, min(max, base·2^retry)].
    public func delay(forRetry retry: Int) -> Double {
        let ceiling = min(maxDelay, baseDelay * Double(1 << min(retry, 30)))
        return Double.random(in: 0...max(ceiling, 0.001))
    }

    /// Sleeps the pause for retry number `retry`.
    public func pause(forRetry retry: Int) {
        let seconds = delay(forRetry: retry)
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
