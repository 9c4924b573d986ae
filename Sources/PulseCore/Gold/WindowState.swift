/// Identifies one open window: its station (catalogue index) and start.
public struct WindowKey: Hashable, Sendable, Comparable {
    public let stationIndex: Int32
    public let windowStart: Int64

    /// The window of station `stationIndex` starting at `windowStart` (µs since the epoch).
    public init(stationIndex: Int32, windowStart: Int64) {
        self.stationIndex = stationIndex
        self.windowStart = windowStart
    }

    /// Window start first, then station: the order windows are emitted and saved in.
    public static func < (a: WindowKey, b: WindowKey) -> Bool {
        (a.windowStart, a.stationIndex) < (b.windowStart, b.stationIndex)
    }
}

/// A window Gold appends: it closed because its partition's watermark reached its end.
public struct ClosedWindow<Aggregate: WindowAggregate>: Sendable, Equatable {
    public let size: WindowSize
    public let stationIndex: Int32
    public let windowStart: Int64
    public let aggregate: Aggregate

    /// Exclusive end of the window.
    public var windowEnd: Int64 { windowStart + size.micros }
    /// The row's `dt` (date of window_start for minutes, of window_end otherwise).
    public var dt: Int32 { size.dt(windowStart: windowStart) }
}

/// Gold's streaming state for one source (Kafka) partition: the watermark and the partial
/// aggregates of every open (station, window), for each window size of the pipeline.
///
/// Contract (ARCHITECTURE.md, Windows/watermark; peer_pipeline.py `GoldState`):
/// - Feed the partition's Silver rows in offset order. Before each row the watermark is the
///   max event_time of the partition's earlier on-time Silver rows minus 15 minutes (none: no
///   watermark). A row with event_time < watermark is late: counted, kept out of Gold. A row
///   with event_time == watermark is on time.
/// - A row more than `farAhead` (7 days) past that max is held: counted as ahead, kept out of Gold,
///   and it does not move the watermark, so one record with a wrong year cannot make the rest of
///   its partition late. Only `jumpConfirmations` (3) such rows in a row, with no other row between,
///   show that the partition's clock really moved: the third is on time and becomes the max. The
///   same holds backwards: 3 rows in a row more than `farAhead` below the max (a first record far
///   in the future, say) re-anchor the max at the third, and the windows opened beyond it are
///   dropped (they held only the outlier).
/// - `closeWindows(reachedBy: watermark)` returns, once each, the windows with end <= watermark.
///   No on-time row can reach an emitted window: a window emitted at watermark W has end <= W,
///   the watermark never decreases, and an on-time row has event_time >= watermark >= W, so
///   its windows end after W.
/// - Results depend only on the row sequence, not on where batches are cut or on when
///   `closeWindows` is called (it only moves windows that no later row can change), and
///   `serialized()` / `init(serialized:)` restore the state bit for bit.
public struct WindowState<Aggregate: WindowAggregate>: Sendable, Equatable {
    /// How far the watermark trails the max event time.
    public static var watermarkDelay: Int64 { 15 * 60 * 1_000_000 }
    /// A row further than this from the max event time is an outlier until confirmed.
    public static var farAhead: Int64 { 7 * 86_400 * 1_000_000 }
    /// Consecutive outliers (same direction) that move the max to them.
    public static var jumpConfirmations: Int32 { 3 }

    /// Max event_time of the Silver rows seen (late ones included); nil before the first.
    public internal(set) var maxEventTime: Int64?
    /// Rows seen, and how many of them were late.
    public internal(set) var rowCount: Int64 = 0
    public internal(set) var lateCount: Int64 = 0
    /// Rows held out because they were far ahead of the max (see the type's contract).
    public internal(set) var aheadCount: Int64 = 0
    /// Consecutive outliers just seen: > 0 ahead of the max, < 0 behind it (far below the watermark).
    var outlierRun: Int32 = 0
    /// Open windows per entry of `Aggregate.windowSizes`. Only `ingest` and `closeWindows` change it once
    /// the state is built (they keep `cache` right).
    var open: [[WindowKey: Aggregate]]
    /// Where each station's latest window of each size is in `open`; not part of the state.
    private var cache = WindowPlaceCache<Aggregate>(sizes: Aggregate.windowSizes.count)

    /// The state of a partition no row has reached yet.
    public init() {
        open = Array(repeating: [:], count: Aggregate.windowSizes.count)
    }

    /// Watermark for the next row: max event time - 15 min, nil before any row.
    public var watermark: Int64? { maxEventTime.map { $0 - Self.watermarkDelay } }

    /// Windows not yet emitted, over all sizes.
    public var openWindowCount: Int { open.reduce(0) { $0 + $1.count } }

    // Specialized for the two pipelines so callers in other modules (benchmarks, tools) do not
    // run the generic, metadata-looking-up version of this per-row path.
    /// Feeds the next row of the partition (offset order). Returns false when the row is late.
    @discardableResult
    @_specialize(where Aggregate == BikeWindowAggregate)
    @_specialize(where Aggregate == WeatherWindowAggregate)
    public mutating func ingest(row: Int, of rows: Aggregate.Rows) -> Bool {
        let time = rows.eventTime[row]
        rowCount += 1
        if let maxTime = maxEventTime {
            if time < maxTime - Self.watermarkDelay {
                if time < maxTime - Self.farAhead {
                    outlierRun = min(outlierRun, 0) - 1
                    if -outlierRun >= Self.jumpConfirmations { reanchor(at: time) }
                } else {
                    outlierRun = 0
                }
                lateCount += 1
                return false
            }
            if time > maxTime &+ Self.farAhead {
                outlierRun = max(outlierRun, 0) + 1
                guard outlierRun >= Self.jumpConfirmations else {
                    aheadCount += 1
                    return false
                }
            }
            outlierRun = 0
            if time > maxTime { maxEventTime = time }
        } else {
            maxEventTime = time
        }
        let station = rows.stationIndex[row]
        let slot = Int(station)
        for (i, size) in Aggregate.windowSizes.enumerated() {
            let start = size.windowStart(of: time)
            // Most rows fall in the window their station's previous row fell in: no hashing then.
            if slot < cache.slots[i].count, let hit = cache.slots[i][slot], hit.windowStart == start {
                open[i].values[hit.index].add(row: row, of: rows)
                continue
            }
            let key = WindowKey(stationIndex: station, windowStart: start)
            if let index = open[i].index(forKey: key) {
                open[i].values[index].add(row: row, of: rows)
                cache.remember(size: i, slot: slot, windowStart: start, index: index)
            } else {
                open[i][key] = Aggregate(row: row, of: rows)
                // An insert may move every window of this size: the remembered places are stale.
                cache.forget(size: i)
                if let index = open[i].index(forKey: key) {
                    cache.remember(size: i, slot: slot, windowStart: start, index: index)
                }
            }
        }
        return true
    }

    /// Moves the max event time back to `time` after `jumpConfirmations` rows far below it, dropping
    /// the windows that start beyond what the partition now reports.
    private mutating func reanchor(at time: Int64) {
        maxEventTime = time
        outlierRun = 0
        for i in open.indices {
            let stale = open[i].keys.filter { $0.windowStart > time &+ Self.farAhead }
            guard !stale.isEmpty else { continue }
            for key in stale { open[i].removeValue(forKey: key) }
            cache.forget(size: i)
        }
    }

    /// Feeds rows of the partition in the order given (offset order). Returns how many were late.
    @discardableResult
    public mutating func ingest(rows indexes: some Sequence<Int>, of rows: Aggregate.Rows) -> Int {
        var late = 0
        for row in indexes where !ingest(row: row, of: rows) { late += 1 }
        return late
    }

    /// Removes and returns the windows whose end `watermark` has reached (the state's own `watermark`:
    /// no on-time row can reach them any more), ordered by size, window start, station. This is where a
    /// Gold window closes; `WindowFeed` calls it whenever a partition's watermark crosses a minute.
    @_specialize(where Aggregate == BikeWindowAggregate)
    @_specialize(where Aggregate == WeatherWindowAggregate)
    public mutating func closeWindows(reachedBy watermark: Int64?) -> [ClosedWindow<Aggregate>] {
        guard let watermark else { return [] }
        var closed: [ClosedWindow<Aggregate>] = []
        for (i, size) in Aggregate.windowSizes.enumerated() {
            let keys = open[i].keys.filter { $0.windowStart + size.micros <= watermark }.sorted()
            if !keys.isEmpty { cache.forget(size: i) }
            for key in keys {
                let aggregate = open[i].removeValue(forKey: key)!
                closed.append(
                    ClosedWindow(
                        size: size, stationIndex: key.stationIndex, windowStart: key.windowStart, aggregate: aggregate))
            }
        }
        return closed
    }

    /// Open windows of one size, sorted (inspection, tests).
    public func openWindows(_ size: WindowSize) -> [ClosedWindow<Aggregate>] {
        guard let i = Aggregate.windowSizes.firstIndex(of: size) else { return [] }
        return open[i].sorted { $0.key < $1.key }.map {
            ClosedWindow(
                size: size, stationIndex: $0.key.stationIndex, windowStart: $0.key.windowStart, aggregate: $0.value)
        }
    }
}

/// Remembers, per window size and station, the start and dictionary index of the station's latest
/// window, so `WindowState.ingest` finds it without hashing. Indexes stay valid while the
/// dictionary only has values changed; whoever inserts or removes forgets that size's entries.
/// Carries no state: two caches are always equal, so states compare and restore without it.
struct WindowPlaceCache<Aggregate: WindowAggregate>: Sendable, Equatable {
    struct Place: Sendable {
        var windowStart: Int64
        var index: Dictionary<WindowKey, Aggregate>.Index
    }

    /// [size][station index]
    private(set) var slots: [[Place?]]

    init(sizes: Int) {
        slots = Array(repeating: [], count: sizes)
    }

    @inline(__always)
    mutating func remember(size: Int, slot: Int, windowStart: Int64, index: Dictionary<WindowKey, Aggregate>.Index) {
        guard slot >= 0 else { return }
        if slot >= slots[size].count {
            slots[size].append(contentsOf: repeatElement(nil, count: slot + 1 - slots[size].count))
        }
        slots[size][slot] = Place(windowStart: windowStart, index: index)
    }

    mutating func forget(size: Int) {
        for slot in slots[size].indices { slots[size][slot] = nil }
    }

    static func == (_: Self, _: Self) -> Bool { true }
}
