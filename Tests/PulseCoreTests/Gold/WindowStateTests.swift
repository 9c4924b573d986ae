import Testing

@testable import PulseCore

private let minute: Int64 = 60_000_000
private let hour: Int64 = 3_600_000_000
private let day: Int64 = 86_400_000_000
/// 2025-08-20T00:00:00Z
private let t0: Int64 = 1_755_648_000_000_000

/// Appends one Silver bike row directly (as the parser would).
private func appendBike(
    _ c: inout SilverBikeColumns, station: Int32, time: Int64, docks: Int32 = 20, available: Int32, occupied: Int32,
    city: String = "Boston"
) {
    c.stationIndex.append(station)
    c.stationID.append(testStations[Int(station)])
    c.bikeCity.append(city)
    c.docksTotal.append(docks)
    c.bikesAvailable.append(available)
    c.bikesOccupied.append(occupied)
    c.docksAvailable.append(available)
    c.eventTime.append(time)
    c.dt.append(EventTimeParser.civilDay(time))
    c.ratesValid.append(docks > 0)
    c.availabilityRate.append(docks > 0 ? Double(available) / Double(docks) : 0)
    c.utilizationRate.append(docks > 0 ? Double(occupied) / Double(docks) : 0)
}

private func appendWeather(
    _ c: inout SilverWeatherColumns, station: Int32, time: Int64, temp: Double, precip: Double, humidity: Int32
) {
    c.stationIndex.append(station)
    c.stationID.append(testStations[Int(station)])
    c.weatherCity.append("Boston")
    c.tempC.append(temp)
    c.precipMM.append(precip)
    c.humidity.append(humidity)
    c.windKPH.append(temp / 2)
    c.pressureMB.append(1000 + humidity)
    c.condition.append("Clear")
    c.eventTime.append(time)
    c.dt.append(EventTimeParser.civilDay(time))
}

/// A partition's rows: mostly increasing times with jitter, some 16-60 minutes late, 4 stations,
/// some zero-dock rows, over ~2.5 days so every window size closes.
private func generatedRows(count: Int, seed: UInt64) -> SilverBikeColumns {
    var rng = SeededGenerator(seed: seed)
    var c = SilverBikeColumns()
    let span = 60 * hour
    for i in 0..<count {
        var time = t0 + Int64(i) * span / Int64(count) + Int64.random(in: -30...30, using: &rng) * 1_000_000
        if Int.random(in: 0..<50, using: &rng) == 0 { time -= Int64.random(in: 16...60, using: &rng) * minute }
        let docks: Int32 = Int.random(in: 0..<40, using: &rng) == 0 ? 0 : 20
        let available = docks == 0 ? 0 : Int32.random(in: 0...docks, using: &rng)
        appendBike(
            &c, station: Int32.random(in: 0..<4, using: &rng), time: time, docks: docks, available: available,
            occupied: docks - available, city: i % 7 == 0 ? "Cambridge" : "Boston")
    }
    return c
}

/// Independent reference: lateness by a naive running max, then plain grouping of on-time rows.
private struct ReferenceWindow: Equatable {
    var n: Int64 = 0, sAvail: Int64 = 0, sOcc: Int64 = 0, maxDocks: Int32 = .min
    var sAR = 0.0, nAR: Int64 = 0, sUR = 0.0, nUR: Int64 = 0
    var city = ""
}

private func reference(_ c: SilverBikeColumns) -> (late: Int64, windows: [String: ReferenceWindow], watermark: Int64) {
    var maxTime: Int64? = nil
    var late: Int64 = 0
    var windows: [String: ReferenceWindow] = [:]
    for row in 0..<c.count {
        let t = c.eventTime[row]
        if let m = maxTime, t < m - 15 * minute {
            late += 1
            continue
        }
        maxTime = max(maxTime ?? t, t)
        for (name, size) in [("minute", minute), ("hour", hour), ("day", day)] {
            let start = t >= 0 ? t / size * size : ((t + 1) / size - 1) * size
            let key = "\(name)/\(c.stationIndex[row])/\(start)"
            var w = windows[key] ?? ReferenceWindow(city: c.bikeCity[row])
            w.n += 1
            w.sAvail += Int64(c.bikesAvailable[row])
            w.sOcc += Int64(c.bikesOccupied[row])
            w.maxDocks = max(w.maxDocks, c.docksTotal[row])
            if c.docksTotal[row] > 0 {
                w.sAR += c.availabilityRate[row]
                w.nAR += 1
                w.sUR += c.utilizationRate[row]
                w.nUR += 1
            }
            windows[key] = w
        }
    }
    return (late, windows, maxTime! - 15 * minute)
}

private func name(_ size: WindowSize) -> String {
    switch size {
    case .minute: return "minute"
    case .hour: return "hour"
    case .day: return "day"
    }
}

@Suite struct WindowStateTests {
    @Test func matchesAnIndependentReferenceAndEmitsEachWindowOnce() {
        let rows = generatedRows(count: 4000, seed: 7)
        let expected = reference(rows)
        var state = WindowState<BikeWindowAggregate>()
        var emitted: [ClosedWindow<BikeWindowAggregate>] = []
        var rng = SeededGenerator(seed: 99)
        var row = 0
        while row < rows.count {
            let end = min(rows.count, row + Int.random(in: 1...300, using: &rng))
            state.ingest(rows: row..<end, of: rows)
            emitted += state.closeWindows(reachedBy: state.watermark)
            row = end
        }
        #expect(state.lateCount == expected.late)
        #expect(expected.late > 20)
        #expect(state.watermark == expected.watermark)
        var seen = Set<String>()
        for window in emitted {
            let key = "\(name(window.size))/\(window.stationIndex)/\(window.windowStart)"
            #expect(seen.insert(key).inserted, "emitted twice: \(key)")
            #expect(window.windowEnd <= expected.watermark)
            guard let ref = expected.windows[key] else {
                Issue.record("emitted a window the reference does not have: \(key)")
                continue
            }
            let a = window.aggregate
            let got = ReferenceWindow(
                n: a.rowCount, sAvail: a.sumBikesAvailable, sOcc: a.sumBikesOccupied, maxDocks: a.maxDocksTotal,
                sAR: a.sumAvailabilityRate, nAR: a.availabilityRateCount, sUR: a.sumUtilizationRate,
                nUR: a.utilizationRateCount, city: a.bikeCity)
            #expect(got == ref, "\(key)")
        }
        // Every reference window that closed was emitted; the others are still open.
        let closedKeys = Set(
            expected.windows.filter { key, _ in
                let parts = key.split(separator: "/")
                let size: Int64 = parts[0] == "minute" ? minute : parts[0] == "hour" ? hour : day
                return Int64(parts[2])! + size <= expected.watermark
            }.keys)
        #expect(closedKeys == seen)
        #expect(state.openWindowCount == expected.windows.count - closedKeys.count)
        #expect(emitted.contains { $0.size == .day })
    }

    @Test func resultsDoNotDependOnBatchCutsOrCheckpointRestores() throws {
        let rows = generatedRows(count: 3000, seed: 11)
        var whole = WindowState<BikeWindowAggregate>()
        whole.ingest(rows: 0..<rows.count, of: rows)
        let wholeEmitted = whole.closeWindows(reachedBy: whole.watermark)
        for seed in [1, 2, 3] as [UInt64] {
            var rng = SeededGenerator(seed: seed)
            var state = WindowState<BikeWindowAggregate>()
            var emitted: [ClosedWindow<BikeWindowAggregate>] = []
            var row = 0
            while row < rows.count {
                let end = min(rows.count, row + Int.random(in: 1...500, using: &rng))
                state.ingest(rows: row..<end, of: rows)
                emitted += state.closeWindows(reachedBy: state.watermark)
                if Bool.random(using: &rng) {
                    // Checkpoint, "crash", restore and carry on.
                    let bytes = state.serialized()
                    let restored = try WindowState<BikeWindowAggregate>(serialized: bytes)
                    #expect(restored == state)
                    #expect(restored.serialized() == bytes)
                    state = restored
                }
                row = end
            }
            let order: (ClosedWindow<BikeWindowAggregate>, ClosedWindow<BikeWindowAggregate>) -> Bool = {
                ($0.size, $0.windowStart, $0.stationIndex) < ($1.size, $1.windowStart, $1.stationIndex)
            }
            #expect(emitted.sorted(by: order) == wholeEmitted.sorted(by: order))
            #expect(state.serialized() == whole.serialized())
            #expect(state.lateCount == whole.lateCount)
        }
    }

    @Test func replayFromACheckpointGivesTheSameRows() throws {
        // Crash after the checkpoint at offset 1000 but before the Gold commit: replaying from
        // the checkpoint must produce the rows the lost run would have produced.
        let rows = generatedRows(count: 2000, seed: 5)
        var state = WindowState<BikeWindowAggregate>()
        state.ingest(rows: 0..<1000, of: rows)
        _ = state.closeWindows(reachedBy: state.watermark)
        let checkpoint = state.serialized()
        state.ingest(rows: 1000..<2000, of: rows)
        let lost = state.closeWindows(reachedBy: state.watermark)
        var replay = try WindowState<BikeWindowAggregate>(serialized: checkpoint)
        replay.ingest(rows: 1000..<2000, of: rows)
        #expect(replay.closeWindows(reachedBy: replay.watermark) == lost)
        #expect(!lost.isEmpty)
    }

    @Test func lateIsStrictlyBelowTheWatermark() {
        var c = SilverBikeColumns()
        appendBike(&c, station: 0, time: t0 + hour, available: 1, occupied: 1)  // max = t0+1h, wm = t0+45m
        appendBike(&c, station: 0, time: t0 + 45 * minute, available: 1, occupied: 1)  // == wm: on time
        appendBike(&c, station: 0, time: t0 + 45 * minute - 1, available: 1, occupied: 1)  // 1 µs below: late
        appendBike(&c, station: 1, time: t0, available: 1, occupied: 1)  // other station, same partition: late
        var state = WindowState<BikeWindowAggregate>()
        #expect(state.watermark == nil)
        let first = state.ingest(row: 0, of: c)
        #expect(first)
        #expect(state.watermark == t0 + 45 * minute)
        let tie = state.ingest(row: 1, of: c)
        let below = state.ingest(row: 2, of: c)
        let otherStation = state.ingest(row: 3, of: c)
        #expect(tie)
        #expect(!below)
        #expect(!otherStation)
        #expect(state.lateCount == 2)
        #expect(state.rowCount == 4)
        // The minute window [t0+44m, t0+45m) never opened; [t0+45m, +46m) holds the tie row.
        let minutes = state.openWindows(.minute).map(\.windowStart)
        #expect(minutes == [t0 + 45 * minute, t0 + hour])
    }

    @Test func emitsWhenTheWatermarkReachesTheWindowEnd() {
        var c = SilverBikeColumns()
        appendBike(&c, station: 2, time: t0 + 10 * minute + 5_000_000, available: 3, occupied: 17)
        appendBike(&c, station: 2, time: t0 + 26 * minute - 1, available: 4, occupied: 16)  // wm = 11m - 1µs
        appendBike(&c, station: 2, time: t0 + 26 * minute, available: 4, occupied: 16)  // wm = 11m: [10m, 11m) closes
        var state = WindowState<BikeWindowAggregate>()
        state.ingest(rows: 0..<2, of: c)
        #expect(state.closeWindows(reachedBy: state.watermark).isEmpty)
        state.ingest(row: 2, of: c)
        let closed = state.closeWindows(reachedBy: state.watermark)
        #expect(closed.count == 1)
        #expect(closed.first?.size == .minute)
        #expect(closed.first?.windowStart == t0 + 10 * minute)
        #expect(closed.first?.windowEnd == t0 + 11 * minute)
        #expect(state.closeWindows(reachedBy: state.watermark).isEmpty)
        let row = closed[0].minuteRow
        #expect(
            row
                == BikeMinuteRow(
                    stationIndex: 2, bikeCity: "Boston", windowStart: t0 + 10 * minute, windowEnd: t0 + 11 * minute,
                    bikesAvailable: 3, bikesOccupied: 17, docksTotal: 20, dt: EventTimeParser.civilDay(t0)))
    }

    @Test func bikeRowsRoundHalfUpAndAverageRatesOverNonNull() {
        var c = SilverBikeColumns()
        // Hour 23:00-24:00 of 2025-08-20: dt of window_end is 2025-08-21; the minute's dt is the 20th.
        let start = t0 + 23 * hour
        appendBike(&c, station: 0, time: start, docks: 10, available: 1, occupied: 2, city: "First")
        appendBike(&c, station: 0, time: start + 1, docks: 12, available: 2, occupied: 3, city: "Second")
        appendBike(&c, station: 0, time: start + 2, docks: 0, available: 0, occupied: 0)
        appendBike(&c, station: 0, time: start + 3, docks: 8, available: 2, occupied: 2)
        appendBike(&c, station: 0, time: start + 2 * hour, available: 0, occupied: 0)  // closes the hour
        var state = WindowState<BikeWindowAggregate>()
        state.ingest(rows: 0..<5, of: c)
        let closed = state.closeWindows(reachedBy: state.watermark)
        let minute = closed.first { $0.size == .minute }!.minuteRow
        // means: available 5/4 = 1.25 -> 1, occupied 7/4 = 1.75 -> 2
        #expect(minute.bikesAvailable == 1)
        #expect(minute.bikesOccupied == 2)
        #expect(minute.docksTotal == 12)
        #expect(minute.bikeCity == "First")
        #expect(minute.dt == EventTimeParser.civilDay(t0))
        let usage = closed.first { $0.size == .hour }!.usageRow
        #expect(usage.bikesOccupiedSum == 7)
        #expect(usage.bikesAvailableAvg == 1.25)
        #expect(usage.availabilityRateAvg == (0.1 + 2.0 / 12.0 + 0.25) / 3)
        #expect(usage.utilizationRateAvg == (0.2 + 3.0 / 12.0 + 0.25) / 3)
        #expect(usage.dt == EventTimeParser.civilDay(t0) + 1)
        #expect(usage.windowEnd == t0 + day)
        #expect(BikeWindowAggregate.roundedMean(3, 2) == 2)  // 1.5 -> 2
        #expect(BikeWindowAggregate.roundedMean(5, 2) == 3)  // 2.5 -> 3
        #expect(BikeWindowAggregate.roundedMean(4, 3) == 1)  // 1.33 -> 1
        #expect(BikeWindowAggregate.roundedMean(0, 3) == 0)
    }

    @Test func allNullRatesGiveNullAverages() {
        var c = SilverBikeColumns()
        appendBike(&c, station: 0, time: t0, docks: 0, available: 0, occupied: 0)
        appendBike(&c, station: 0, time: t0 + 2 * hour, docks: 0, available: 0, occupied: 0)
        var state = WindowState<BikeWindowAggregate>()
        state.ingest(rows: 0..<2, of: c)
        let usage = state.closeWindows(reachedBy: state.watermark).first { $0.size == .hour }!.usageRow
        #expect(usage.availabilityRateAvg == nil)
        #expect(usage.utilizationRateAvg == nil)
        #expect(usage.docksTotal == 0)
    }

    @Test func weatherWindowsAverageAndSum() throws {
        var c = SilverWeatherColumns()
        appendWeather(&c, station: 3, time: t0 + 5 * minute, temp: 18.3, precip: 0.5, humidity: 70)
        appendWeather(&c, station: 3, time: t0 + 50 * minute, temp: 19.1, precip: 1.25, humidity: 75)
        appendWeather(&c, station: 4, time: t0 + 51 * minute, temp: 10, precip: 0, humidity: 40)
        appendWeather(&c, station: 3, time: t0 + 2 * hour, temp: 0, precip: 0, humidity: 0)
        var state = WindowState<WeatherWindowAggregate>()
        state.ingest(rows: 0..<4, of: c)
        let closed = state.closeWindows(reachedBy: state.watermark)
        #expect(closed.map(\.stationIndex) == [3, 4])
        #expect(closed.allSatisfy { $0.size == .hour })
        let row = closed[0].weatherRow
        #expect(row.avgTempC == (18.3 + 19.1) / 2)
        #expect(row.sumPrecipMM == 1.75)
        #expect(row.avgHumidity == 72.5)
        #expect(row.avgWindKPH == (18.3 / 2 + 19.1 / 2) / 2)
        #expect(row.avgPressureMB == 1072.5)
        #expect(row.dt == EventTimeParser.civilDay(t0))
        #expect(state.openWindows(.day).count == 2)
        #expect(state.openWindows(.minute).isEmpty)
        let restored = try WindowState<WeatherWindowAggregate>(serialized: state.serialized())
        #expect(restored == state)
    }

    @Test func windowStartsAreUTCAlignedAlsoBeforeTheEpoch() {
        #expect(WindowSize.minute.windowStart(of: 59_999_999) == 0)
        #expect(WindowSize.minute.windowStart(of: -1) == -minute)
        #expect(WindowSize.hour.windowStart(of: -hour) == -hour)
        #expect(WindowSize.day.windowStart(of: t0 + day - 1) == t0)
        #expect(WindowSize.minute.dt(windowStart: t0 + day - minute) == EventTimeParser.civilDay(t0))
        #expect(WindowSize.hour.dt(windowStart: t0 + day - hour) == EventTimeParser.civilDay(t0) + 1)
    }

    @Test func rejectsDamagedCheckpoints() throws {
        let rows = generatedRows(count: 200, seed: 3)
        var state = WindowState<BikeWindowAggregate>()
        state.ingest(rows: 0..<rows.count, of: rows)
        let bytes = state.serialized()
        #expect(try WindowState<BikeWindowAggregate>(serialized: bytes) == state)
        #expect(WindowState<BikeWindowAggregate>().serialized() == WindowState<BikeWindowAggregate>().serialized())
        #expect(
            try WindowState<BikeWindowAggregate>(serialized: WindowState<BikeWindowAggregate>().serialized()).watermark
                == nil)
        for cut in [0, 3, 5, 20, bytes.count / 2, bytes.count - 1] {
            #expect(throws: PipelineError.self) {
                try WindowState<BikeWindowAggregate>(serialized: Array(bytes[0..<cut]))
            }
        }
        #expect(throws: PipelineError.self) { try WindowState<BikeWindowAggregate>(serialized: bytes + [0]) }
        do {
            _ = try WindowState<WeatherWindowAggregate>(serialized: bytes)
            Issue.record("weather state restored from bike bytes")
        } catch {
            #expect(error.code == .incompatibleWindowState)
        }
        var wrongVersion = bytes
        wrongVersion[3] = 9
        #expect(throws: PipelineError.self) { try WindowState<BikeWindowAggregate>(serialized: wrongVersion) }
    }

    @Test func oneRecordFarAheadDoesNotMoveTheWatermark() {
        var c = SilverBikeColumns()
        let future = t0 + 200 * 365 * 24 * hour
        appendBike(&c, station: 0, time: t0, available: 1, occupied: 1)
        appendBike(&c, station: 0, time: future, available: 1, occupied: 1)  // a wrong year: held
        appendBike(&c, station: 0, time: t0 + 2 * hour, available: 1, occupied: 1)  // still on time
        var state = WindowState<BikeWindowAggregate>()
        let fed = (0..<3).map { state.ingest(row: $0, of: c) }
        #expect(fed == [true, false, true])
        #expect(state.aheadCount == 1)
        #expect(state.lateCount == 0)
        #expect(state.watermark == t0 + 2 * hour - 15 * minute)
        #expect(!state.openWindows(.day).contains { $0.windowStart > t0 + 24 * hour })
    }

    @Test func threeRecordsInARowFarAheadMoveIt() {
        var c = SilverBikeColumns()
        let later = t0 + 30 * 24 * hour
        appendBike(&c, station: 0, time: t0, available: 1, occupied: 1)
        for k in 0..<3 { appendBike(&c, station: 0, time: later + Int64(k), available: 1, occupied: 1) }
        var state = WindowState<BikeWindowAggregate>()
        let fed = (0..<4).map { state.ingest(row: $0, of: c) }
        #expect(fed == [true, false, false, true])
        #expect(state.aheadCount == 2)
        #expect(state.maxEventTime == later + 2)
        // Restored from its bytes mid-run, the outlier run carries on the same.
        var d = SilverBikeColumns()
        appendBike(&d, station: 1, time: t0, available: 1, occupied: 1)
        for k in 0..<3 { appendBike(&d, station: 1, time: later + Int64(k), available: 1, occupied: 1) }
        var first = WindowState<BikeWindowAggregate>()
        first.ingest(rows: 0..<2, of: d)
        var restored = try! WindowState<BikeWindowAggregate>(serialized: first.serialized())
        #expect(restored == first)
        let resumed = (2..<4).map { restored.ingest(row: $0, of: d) }
        #expect(resumed == [false, true])
    }

    @Test func aFirstRecordFarAheadIsOutvotedByThreeBelowIt() {
        var c = SilverBikeColumns()
        let future = t0 + 365 * 24 * hour
        appendBike(&c, station: 0, time: future, available: 1, occupied: 1)
        for k in 0..<4 { appendBike(&c, station: 0, time: t0 + Int64(k) * minute, available: 1, occupied: 1) }
        var state = WindowState<BikeWindowAggregate>()
        let fed = (0..<5).map { state.ingest(row: $0, of: c) }
        // Three far below re-anchor the max at the third; the fourth is on time.
        #expect(fed == [true, false, false, false, true])
        #expect(state.maxEventTime == t0 + 3 * minute)
        #expect(state.openWindows(.day).allSatisfy { $0.windowStart <= t0 + 24 * hour })
    }

    @Test func damagedStateBytesAreRefusedNotTrusted() throws {
        var c = SilverBikeColumns()
        appendBike(&c, station: 3, time: t0, available: 1, occupied: 1)
        var state = WindowState<BikeWindowAggregate>()
        state.ingest(row: 0, of: c)
        let bytes = state.serialized()
        // Version byte, then pipeline tag; the minute size's window count sits after the fixed header.
        let header = 3 + 1 + 1 + 1 + 8 + 8 + 8 + 4 + 8
        var hugeCount = bytes
        hugeCount.replaceSubrange((header + 1)..<(header + 5), with: [0xFF, 0xFF, 0xFF, 0x7F])
        #expect(throws: PipelineError.self) { try WindowState<BikeWindowAggregate>(serialized: hugeCount) }
        var badStation = bytes
        badStation.replaceSubrange((header + 5)..<(header + 9), with: [0xE8, 0x03, 0, 0])  // station 1000
        #expect(throws: PipelineError.self) { try WindowState<BikeWindowAggregate>(serialized: badStation) }
        // Format 1 (before the outlier fields) still reads.
        var v1 = Array(bytes[0..<(3 + 1 + 1 + 1 + 8 + 8 + 8)]) + Array(bytes[header...])
        v1[3] = 1
        #expect(try WindowState<BikeWindowAggregate>(serialized: v1) == state)
    }
}
