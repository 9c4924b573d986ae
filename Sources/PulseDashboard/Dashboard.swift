#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs the UI on the calling thread until the user quits or `shouldStop()` turns true; restores the terminal
/// on every exit path (including a signal: SIGINT/SIGTERM end the loop; SIGSEGV/SIGABRT and other crash
/// signals restore with endwin() then re-raise).
///
/// The loop draws a frame every `1/refreshHz` seconds and at once after a key; between frames it waits in
/// curses' input read, so an idle dashboard sleeps. It only reads snapshots: the engine never waits for it.
package final class Dashboard {
    private let source: any DashboardDataSource
    private let periodSeconds: Double
    private var state = DashboardState()
    private var previousFrame: Canvas?
    private var lastSnapshot: DashboardSnapshot?
    /// Drawing cost over the run, for measurements.
    package private(set) var frameStats = FrameStats()

    package init(source: any DashboardDataSource, refreshHz: Double = 4) {
        self.source = source
        self.periodSeconds = 1 / min(60, max(0.5, refreshHz))
    }

    package func run(shouldStop: @escaping @Sendable () -> Bool) throws -> DashboardExit {
        let terminal = try Terminal()
        defer { terminal.close() }
        let interrupt = InterruptTrap()
        defer { withExtendedLifetime(interrupt) {} }
        var nextFrame = 0.0
        while true {
            if interrupt.isRaised || shouldStop() { return .stopped }
            let now = Self.monotonicSeconds()
            if now >= nextFrame {
                drawFrame(on: terminal)
                nextFrame = now + periodSeconds
            }
            terminal.setInputTimeout(milliseconds: Int(((nextFrame - Self.monotonicSeconds()) * 1000).rounded(.up)))
            guard let key = terminal.readKey() else { continue }
            // Take every key already typed before drawing again, so key repeat never queues frames.
            var pending: Key? = key
            terminal.setInputTimeout(milliseconds: 0)
            var handled = 0
            while let current = pending, handled < 64 {
                if handle(current, terminal: terminal) == .quit { return .quit }
                handled += 1
                pending = terminal.readKey()
            }
            nextFrame = 0
        }
    }

    private enum KeyOutcome {
        case continueRunning, quit
    }

    private func handle(_ key: Key, terminal: Terminal) -> KeyOutcome {
        guard let action = KeyMap.action(for: key, in: state) else { return .continueRunning }
        let snapshot = lastSnapshot ?? source.snapshot()
        switch action {
        case .quit:
            return .quit
        case .redraw:
            previousFrame = nil
            terminal.invalidate()
        case .togglePause:
            source.setProducersPaused(!snapshot.producersPaused)
            // Keys typed before the next frame build on this one, not on the frame's stale figures.
            lastSnapshot?.producersPaused = !snapshot.producersPaused
        case .faster, .slower:
            let percent = ProducerRateSteps.next(from: snapshot.producerRatePercent, faster: action == .faster)
            source.setProducerRatePercent(percent)
            lastSnapshot?.producerRatePercent = percent
            state.notice = ProducerRateSteps.notice(
                percent: percent, topics: snapshot.topics, speed: snapshot.speed, glyphs: terminal.glyphs)
            state.noticeUntilMicros = Self.wallMicros() + ProducerRateSteps.noticeMicros
        default:
            state.apply(action, listedIDs: DashboardView.listedIDs(snapshot, state: state))
        }
        return .continueRunning
    }

    private func drawFrame(on terminal: Terminal) {
        let started = Self.monotonicSeconds()
        let snapshot = source.snapshot()
        lastSnapshot = snapshot
        var detail: StationDetail?
        if case .station(let id) = state.page { detail = source.stationDetail(id: id) }
        let context = FrameContext(snapshot: snapshot, wallNowMicros: Self.wallMicros())
        var canvas = Canvas(width: terminal.width, height: terminal.height, glyphs: terminal.glyphs)
        DashboardView.compose(context, detail: detail, state: &state, canvas: &canvas)
        let runs = FrameDiff.runs(from: previousFrame, to: canvas)
        terminal.draw(runs)
        terminal.flush()
        previousFrame = canvas
        frameStats.record(seconds: Self.monotonicSeconds() - started, cells: runs.reduce(0) { $0 + $1.scalars.count })
    }

    private static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    private static func wallMicros() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000
    }
}
