import PulseCore

// libFuzzer target: a Gold window-state file (`_checkpoints/<topic>/<partition>/<offset>.state`) through
// `WindowState<BikeWindowAggregate>(serialized:)` and the weather one.
//
// Invariants of an accepted file:
// - `serialized()` restores to an equal state, and is a fixed point (serializing that gives the same
//   bytes). The input's own bytes come back only when they were written canonically: a format-1 file
//   comes back as format 2, a has-max flag other than 1 as 0 with a zero time, windows in another order
//   sorted, and a city that is not UTF-8 repaired.
// - Feeding rows Silver can produce (event_time in [1970, 2200)) to the restored state, emitting the
//   closed windows and computing their Gold rows never traps, and the state it ends in saves and
//   restores again (unless the file put it within a few rows of the restore's row-count limits).

let stationIDs = StationCatalogue.standard.stations.map(\.id)
let cities = StationCatalogue.standard.stations.map(\.city)
nonisolated(unsafe) var bikeParser = BikeRecordParser()
nonisolated(unsafe) var weatherParser = WeatherRecordParser()

/// event_time in [1970-01-01, 2200-01-01) UTC, in microseconds (Silver's plausibility range).
let plausibleTimes: Range<Int64> = 0..<7_258_118_400_000_000

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGoldState(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let state = try? WindowState<BikeWindowAggregate>(serialized: bytes) {
        exercise(state, rows: bikeRows, windowRows: \.rowCount) { window in
            _ = window.size == .minute ? "\(window.minuteRow)" : "\(window.usageRow)"
        }
    }
    if let state = try? WindowState<WeatherWindowAggregate>(serialized: bytes) {
        exercise(state, rows: weatherRows, windowRows: \.rowCount) { window in _ = "\(window.weatherRow)" }
    }
    return 0
}

func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant broken: \(message())") }
}

func exercise<Aggregate: WindowAggregate>(
    _ restored: WindowState<Aggregate>, rows makeRows: ([(station: Int32, time: Int64)]) -> Aggregate.Rows,
    windowRows: (Aggregate) -> Int64, goldRow: (ClosedWindow<Aggregate>) -> Void
) {
    let saved = restored.serialized()
    requireRestores(saved, to: restored)

    // Rows around what the state holds: at and past its max event time, far ahead and far behind it
    // three times (the outlier rule), at the edges of its open windows, and at the ends of the range.
    var feed: [(station: Int32, time: Int64)] = []
    if let max = restored.maxEventTime {
        let day: Int64 = 86_400_000_000
        for time in [max, max &- 900_000_000, max &+ 60_000_000] { feed.append((0, time)) }
        for _ in 0..<3 { feed.append((1, max &+ 8 &* day)) }
        for _ in 0..<3 { feed.append((2, max &- 9 &* day)) }
    }
    for size in Aggregate.windowSizes {
        for window in restored.openWindows(size).prefix(3) {
            feed.append((window.stationIndex, window.windowStart))
            feed.append((window.stationIndex, window.windowStart &+ size.micros &- 1))
        }
    }
    feed.append((3, plausibleTimes.lowerBound))
    feed.append((3, plausibleTimes.upperBound - 1))
    feed = feed.filter { plausibleTimes.contains($0.time) }

    var state = restored
    let rows = makeRows(feed)
    for row in feed.indices {
        state.ingest(row: row, of: rows)
        if row % 4 == 3 {
            for window in state.closeWindows(reachedBy: state.watermark) { goldRow(window) }
        }
    }
    for window in state.closeWindows(reachedBy: state.watermark) { goldRow(window) }
    for size in Aggregate.windowSizes {
        for window in state.openWindows(size) { goldRow(window) }
    }
    _ = state.watermark
    // The restore's limits (2^62 rows per partition, 2^31 per window) are far above any real run, but a
    // state fuzzed to sit at one passes it with the rows fed here: check only states with room for them.
    let room =
        restored.rowCount < 1 << 62 - 64
        && Aggregate.windowSizes.allSatisfy { size in
            restored.openWindows(size).allSatisfy { windowRows($0.aggregate) < 1 << 31 - 64 }
        }
    if room { requireRestores(state.serialized(), to: state) }
}

/// `bytes` (from `serialized()`) restore to `state` and serialize to the same bytes again.
func requireRestores<Aggregate: WindowAggregate>(_ bytes: [UInt8], to state: WindowState<Aggregate>) {
    let again: WindowState<Aggregate>
    do {
        again = try WindowState<Aggregate>(serialized: bytes)
    } catch {
        fatalError("invariant broken: a state's own serialization does not restore: \(error)")
    }
    require(again == state, "restored state differs from the one serialized")
    require(again.serialized() == bytes, "serialized() is not a fixed point")
}

/// Bike rows as Silver builds them: through the record parser, from records the producers could send.
func bikeRows(_ feed: [(station: Int32, time: Int64)]) -> SilverBikeColumns {
    var columns = SilverBikeColumns()
    for (station, time) in feed {
        let s = Int(station)
        let record =
            #"{"bike_city":"\#(cities[s])","station_id":"\#(stationIDs[s])","docks_total":20,"bikes_available":"#
            + #"\#(7 + s % 5),"bikes_occupied":\#(13 - s % 5),"docks_available":\#(7 + s % 5),"#
            + #""event_time":"\#(EventTime.timestampString(micros: time))"}"#
        var bytes = Array(record.utf8)
        let reason = bytes.withUnsafeBytes { bikeParser.parse($0, into: &columns) }
        require(reason == nil, "harness record rejected: \(reason!) for \(record)")
    }
    return columns
}

func weatherRows(_ feed: [(station: Int32, time: Int64)]) -> SilverWeatherColumns {
    var columns = SilverWeatherColumns()
    for (station, time) in feed {
        let s = Int(station)
        let record =
            #"{"station_id":"\#(stationIDs[s])","weather_city":"\#(cities[s])","temp_c":\#(Double(s) - 4.5),"#
            + #""precip_mm":\#(Double(s % 3) * 0.7),"humidity":\#(60 + s),"wind_kph":\#(Double(s) * 1.5),"#
            + #""pressure_mb":\#(1000 + s),"condition":"Clear","event_time":"\#(EventTime.timestampString(micros: time))"}"#
        var bytes = Array(record.utf8)
        let reason = bytes.withUnsafeBytes { weatherParser.parse($0, into: &columns) }
        require(reason == nil, "harness record rejected: \(reason!) for \(record)")
    }
    return columns
}
