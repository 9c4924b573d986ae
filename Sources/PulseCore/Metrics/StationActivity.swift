import Synchronization

/// Per-station and per-city live state as the engine sees it land in Silver and Gold, for the
/// dashboard's station table and station page. Updated once per micro-batch (one lock per batch,
/// never per record) and read as snapshots, so the engine never waits for the UI.
public final class StationActivity: Sendable {
    /// One station's latest reading and recent history.
    public struct Station: Sendable {
        public var id: String
        public var city: String
        public var docksTotal: Int
        public var bikesAvailable: Int?
        public var bikesOccupied: Int?
        public var lastEventMicros: Int64?
        /// Mean utilisation per simulated minute (minute start, sum, count), oldest first, at most 60.
        public var minuteUtilization: [(start: Int64, sum: Double, count: Int)] = []
        /// Live (Silver) bikes per minute before Gold closes the window: (minute start, available, occupied).
        public var liveMinutes: [(start: Int64, available: Int, occupied: Int)] = []
        /// Closed gold/bike_minute windows: (start, available, occupied), at most 60.
        public var goldMinutes: [(start: Int64, available: Int, occupied: Int)] = []
        /// Closed gold/bike_usage_hourly windows: (start, utilisation average), at most `keptHours`.
        public var hours: [(start: Int64, utilization: Double?)] = []
        /// Closed gold/weather_hourly windows of this station: start -> (temp, precip), at most `keptHours`.
        public var weatherHours: [Int64: (temp: Double, precip: Double)] = [:]
        /// Latest events, newest last, at most 12: (event time, text).
        public var recent: [(time: Int64, text: String)] = []

        public init(id: String, city: String, docksTotal: Int) {
            self.id = id
            self.city = city
            self.docksTotal = docksTotal
        }

        public var utilization: Double? {
            guard let occupied = bikesOccupied, docksTotal > 0 else { return nil }
            return Double(occupied) / Double(docksTotal)
        }
    }

    /// A city's latest weather reading.
    public struct Weather: Sendable {
        public var tempC: Double
        public var precipMm: Double
        public var windKph: Double
        public var humidity: Int
        public var condition: String
        public var eventMicros: Int64
    }

    /// Everything at one instant.
    public struct Snapshot: Sendable {
        public var stations: [Station]
        public var weatherByCity: [String: Weather]
        /// Latest event time seen in Silver: the simulated "now".
        public var latestEventMicros: Int64?
    }

    /// Closed hours kept per station: two weeks, so rain can be compared with dry weather at the same hour of
    /// day on other days.
    public static let keptHours = 14 * 24

    private let state: Mutex<Snapshot>
    private let stationIDs: [String]

    public init(catalogue: StationCatalogue = .standard) {
        stationIDs = catalogue.stations.map(\.id)
        state = Mutex(
            Snapshot(
                stations: catalogue.stations.map { Station(id: $0.id, city: $0.city, docksTotal: $0.docksTotal) },
                weatherByCity: [:], latestEventMicros: nil))
    }

    public func snapshot() -> Snapshot { state.withLock { $0 } }

    /// Records a batch of accepted bike events (Silver rows).
    public func recordBikes(_ rows: SilverBikeColumns) {
        guard rows.count > 0 else { return }
        // Only a station's last 12 rows of the batch survive in `recent`: the text is made for those alone
        // (formatting every row cost more than the rest of this function).
        var remaining = [Int](repeating: 0, count: stationIDs.count)
        for row in 0..<rows.count where Int(rows.stationIndex[row]) < remaining.count {
            remaining[Int(rows.stationIndex[row])] += 1
        }
        state.withLock { s in
            for row in 0..<rows.count {
                let index = Int(rows.stationIndex[row])
                guard index < s.stations.count else { continue }
                let time = rows.eventTime[row]
                s.latestEventMicros = max(s.latestEventMicros ?? time, time)
                remaining[index] -= 1
                // In place (`inout` on the element): a copy of the station would copy its histories per row.
                Self.record(
                    into: &s.stations[index], time: time, available: Int(rows.bikesAvailable[row]),
                    occupied: Int(rows.bikesOccupied[row]), docks: Int(rows.docksTotal[row]),
                    describe: remaining[index] < 12)
            }
        }
    }

    private static func record(
        into station: inout Station, time: Int64, available: Int, occupied: Int, docks: Int, describe: Bool
    ) {
        if time >= (station.lastEventMicros ?? .min) {
            station.bikesAvailable = available
            station.bikesOccupied = occupied
            if docks > 0 { station.docksTotal = docks }
            station.lastEventMicros = time
        }
        let minute = time - time % 60_000_000
        let utilization = docks > 0 ? Double(occupied) / Double(docks) : 0
        if let last = station.minuteUtilization.last, last.start == minute {
            station.minuteUtilization[station.minuteUtilization.count - 1].sum += utilization
            station.minuteUtilization[station.minuteUtilization.count - 1].count += 1
        } else if minute > (station.minuteUtilization.last?.start ?? .min) {
            station.minuteUtilization.append((minute, utilization, 1))
            if station.minuteUtilization.count > 60 { station.minuteUtilization.removeFirst() }
        }
        if let last = station.liveMinutes.last, last.start == minute {
            station.liveMinutes[station.liveMinutes.count - 1] = (minute, available, occupied)
        } else if minute > (station.liveMinutes.last?.start ?? .min) {
            station.liveMinutes.append((minute, available, occupied))
            if station.liveMinutes.count > 60 { station.liveMinutes.removeFirst() }
        }
        if describe {
            station.recent.append((time, "bikes \(available)/\(docks) available, \(occupied) in use"))
            if station.recent.count > 12 { station.recent.removeFirst() }
        }
    }

    /// Records a batch of accepted weather events (Silver rows).
    public func recordWeather(_ rows: SilverWeatherColumns) {
        guard rows.count > 0 else { return }
        var remaining = [Int](repeating: 0, count: stationIDs.count)
        for row in 0..<rows.count where Int(rows.stationIndex[row]) < remaining.count {
            remaining[Int(rows.stationIndex[row])] += 1
        }
        state.withLock { s in
            for row in 0..<rows.count {
                let index = Int(rows.stationIndex[row])
                guard index < s.stations.count else { continue }
                let time = rows.eventTime[row]
                remaining[index] -= 1
                let city = s.stations[index].city
                if time >= (s.weatherByCity[city]?.eventMicros ?? .min) {
                    s.weatherByCity[city] = Weather(
                        tempC: rows.tempC[row], precipMm: rows.precipMM[row], windKph: rows.windKPH[row],
                        humidity: Int(rows.humidity[row]), condition: rows.condition[row], eventMicros: time)
                }
                guard remaining[index] < 12 else { continue }  // not among the 12 kept (see recordBikes)
                s.stations[index].recent.append(
                    (time, "weather \(rows.condition[row]), \(rows.tempC[row]) °C, \(rows.precipMM[row]) mm"))
                if s.stations[index].recent.count > 12 { s.stations[index].recent.removeFirst() }
            }
        }
    }

    /// Records closed gold/bike_minute windows.
    public func recordBikeMinutes(_ rows: [BikeMinuteRow]) {
        guard !rows.isEmpty else { return }
        state.withLock { s in
            for row in rows where Int(row.stationIndex) < s.stations.count {
                let index = Int(row.stationIndex)
                s.stations[index].goldMinutes.append((row.windowStart, Int(row.bikesAvailable), Int(row.bikesOccupied)))
                if s.stations[index].goldMinutes.count > 60 { s.stations[index].goldMinutes.removeFirst() }
            }
        }
    }

    /// Records closed gold/bike_usage_hourly windows.
    public func recordBikeHours(_ rows: [BikeUsageRow]) {
        guard !rows.isEmpty else { return }
        state.withLock { s in
            for row in rows where row.size == .hour && Int(row.stationIndex) < s.stations.count {
                s.stations[Int(row.stationIndex)].hours.append((row.windowStart, row.utilizationRateAvg))
                if s.stations[Int(row.stationIndex)].hours.count > Self.keptHours {
                    s.stations[Int(row.stationIndex)].hours.removeFirst()
                }
            }
        }
    }

    /// Records closed gold/weather_hourly windows.
    public func recordWeatherHours(_ rows: [WeatherWindowRow]) {
        guard !rows.isEmpty else { return }
        state.withLock { s in
            for row in rows where row.size == .hour && Int(row.stationIndex) < s.stations.count {
                let index = Int(row.stationIndex)
                s.stations[index].weatherHours[row.windowStart] = (row.avgTempC, row.sumPrecipMM)
                if s.stations[index].weatherHours.count > Self.keptHours,
                    let oldest = s.stations[index].weatherHours.keys.min()
                {
                    s.stations[index].weatherHours[oldest] = nil
                }
            }
        }
    }
}
