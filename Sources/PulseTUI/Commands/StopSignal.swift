import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT and SIGTERM into a flag the run loop waits on, so a stop is always clean:
/// producers flushed, the in-flight batch finished or abandoned, the terminal restored.
final class StopSignal: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let semaphore = DispatchSemaphore(value: 0)
    /// Keeps the signal sources alive for the process. Written once, by `install` on the main thread,
    /// and never read, so no access can race.
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    /// Installs handlers for SIGINT and SIGTERM.
    static func install() -> StopSignal {
        let stop = StopSignal()
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { stop.request() }
            source.resume()
            sources.append(source)
        }
        return stop
    }

    /// Asks the run to stop (a signal, `q`, or the end of `--duration`).
    func request() {
        if !stopped.exchange(true, ordering: .acquiringAndReleasing) { semaphore.signal() }
    }

    var isStopRequested: Bool { stopped.load(ordering: .acquiring) }

    /// Waits until a stop is requested or `seconds` pass; returns true if a stop was requested.
    func wait(seconds: Double?) -> Bool {
        if let seconds {
            if semaphore.wait(timeout: .now() + seconds) == .timedOut { return isStopRequested }
        } else {
            semaphore.wait()
        }
        semaphore.signal()
        return true
    }
}
