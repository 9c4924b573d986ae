import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns SIGINT and SIGTERM into a flag the dashboard loop polls, while the dashboard runs; the previous
/// handlers come back when it ends. (curses would otherwise exit the process on these signals without
/// stopping the engine.)
final class InterruptTrap {
    private static let raised = Atomic<Bool>(false)
    private static let signals: [Int32] = [SIGINT, SIGTERM]
    private var previous: [sigaction]

    init() {
        Self.raised.store(false, ordering: .sequentiallyConsistent)
        previous = []
        for sig in Self.signals {
            var action = sigaction()
            #if canImport(Glibc)
                action.__sigaction_handler.sa_handler = { _ in InterruptTrap.raised.store(true, ordering: .relaxed) }
            #else
                action.__sigaction_u.__sa_handler = { _ in InterruptTrap.raised.store(true, ordering: .relaxed) }
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            var old = sigaction()
            _ = sigaction(sig, &action, &old)
            previous.append(old)
        }
    }

    /// True once SIGINT or SIGTERM arrived.
    var isRaised: Bool { Self.raised.load(ordering: .relaxed) }

    deinit {
        for (index, sig) in Self.signals.enumerated() {
            var old = previous[index]
            _ = sigaction(sig, &old, nil)
        }
    }
}
