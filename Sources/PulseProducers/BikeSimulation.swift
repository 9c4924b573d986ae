import Glibc
import PulseCore

/// Bikes at each station as a process in simulated time: each station's bike count relaxes
/// towards a target set by the commuter curve of its role and by the weather (rain, cold and
/// strong wind mean fewer rides), with random ride-to-ride noise. 0 <= bikes_available <=
/// docks_total always holds; bikes_occupied (bikes out on rides) is the rest of the docks, as in
/// the original payload.
///
/// Deterministic: the same seed and the same calls give the same events.
public struct BikeSimulation: Sendable {
    /// Stations simulated.
    public let catalogue: StationCatalogue
    /// The weather that moves demand (same seed as the weather simulation: the same weather).
    public private(set) var weather: WeatherModel

    /// Minutes a station takes to close most of the gap to its target.
    static let relaxMinutes = 20.0
    /// Share of bikes out on rides in the dead of night.
    static let nightUtilisation = 0.06

    var rng: SeededRandom
    var eastern = EasternTime()
    let curve = CommuterCurve()
    let roles: [StationRole]
    /// Persistent per-station popularity, multiplies activity (0.85 ... 1.15).
    let popularity: [Double]
    /// Continuous bike level (reported rounded), and the simulated time it was last advanced to.
    var level: [Double]
    var lastMicros: [Int64]
    /// Demand factor cached per city and simulated minute (weather changes slowly).
    var demandMinute: [Int64]
    var demandValue: [Double]

    /// A simulation of `catalogue` for `seed`; `startMicros` is the simulated clock's start
    /// (give the weather simulation the same value and seed so both see the same weather).
    public init(catalogue: StationCatalogue = .standard, seed: UInt64, startMicros: Int64) {
        self.catalogue = catalogue
        self.weather = WeatherModel(catalogue: catalogue, seed: seed, anchorMicros: startMicros)
        self.rng = SeededRandom(seed: seed, stream: 0xB1CE)
        self.roles = catalogue.stations.map { StationRole.forCity($0.city) }
        var popularityRNG = SeededRandom(seed: seed, stream: 0xB1CE_0001)
        self.popularity = catalogue.stations.map { _ in popularityRNG.nextUniform(0.85, 1.15) }
        self.level = Array(repeating: 0, count: catalogue.count)
        self.lastMicros = Array(repeating: .min, count: catalogue.count)
        self.demandMinute = Array(repeating: .min, count: catalogue.cities.count)
        self.demandValue = Array(repeating: 1, count: catalogue.cities.count)
    }

    /// The true (unrounded, noise-free) weather at a station's city at `t`.
    public mutating func weatherState(station: Int, at t: Int64) -> WeatherModel.State {
        weather.state(station: station, at: t)
    }

    /// The original producer's step: one event for a station chosen uniformly at random.
    public mutating func nextEvent(at eventTime: Int64) -> BikeEvent {
        event(station: nextStation(), at: eventTime)
    }

    /// The station the original's `random.choice` would report on next (dense index).
    public mutating func nextStation() -> Int {
        rng.nextInt(below: catalogue.count)
    }

    /// One event per station, all stamped `eventTime`.
    public mutating func nextRound(at eventTime: Int64) -> [BikeEvent] {
        (0..<catalogue.count).map { event(station: $0, at: eventTime) }
    }

    /// The event station `station` (dense index) reports at `eventTime`, advancing its state.
    /// An event time earlier than the station's last one reports the current state unchanged.
    public mutating func event(station: Int, at eventTime: Int64) -> BikeEvent {
        let bikes = advance(station: station, to: eventTime)
        return BikeEvent(station: catalogue[station], bikesAvailable: bikes, eventTimeMicros: eventTime)
    }

    /// Advances a station to `t` and returns its bike count.
    mutating func advance(station i: Int, to t: Int64) -> Int {
        let docks = Double(catalogue[i].docksTotal)
        if lastMicros[i] == .min {
            let target = docks * (1 - targetUtilisation(station: i, at: t))
            level[i] = min(docks, max(0, target + rng.nextNormal() * 0.1 * docks))
            lastMicros[i] = t
        } else if t > lastMicros[i] {
            let dtMinutes = Double(t - lastMicros[i]) / 60e6
            lastMicros[i] = t
            let target = docks * (1 - targetUtilisation(station: i, at: t))
            let relax = dtMinutes / (Self.relaxMinutes + dtMinutes)
            // Ride noise grows like sqrt(time), ~0.5 * sqrt(docks) bikes per hour.
            let sigma = 0.5 * docks.squareRoot() * (min(dtMinutes, 120) / 60).squareRoot()
            var x = level[i] + (target - level[i]) * relax + sigma * rng.nextNormal()
            if x < 0 { x = -x * 0.5 }  // reflect softly off the bounds
            if x > docks { x = docks - (x - docks) * 0.5 }
            level[i] = min(docks, max(0, x))
        }
        return Int(level[i].rounded())
    }

    /// Share of a station's bikes out on rides that the time of day and the weather call for.
    public mutating func targetUtilisation(station i: Int, at t: Int64) -> Double {
        let local = eastern.localMicros(utc: t)
        let day = EventTime.daysSinceEpoch(micros: local)
        let minute = Int((local - Int64(day) * EventTime.microsPerDay) / EventTime.microsPerMinute)
        let weekday = EventTime.weekday(daysSinceEpoch: day)
        let role = roles[i]
        let activity = curve.activity(role: role, minuteOfDay: minute, weekend: weekday == 0 || weekday == 6)
        let demand = demandFactor(station: i, at: t)
        let u =
            Self.nightUtilisation
            + (role.peakUtilisation - Self.nightUtilisation) * min(1, activity * popularity[i]) * demand
        return min(0.98, max(0, u))
    }

    /// Weather's effect on rides at a station's city: 1 in mild dry weather, down to ~0.3 in
    /// heavy rain, lower in the cold and in strong wind. Cached per city and simulated minute.
    public mutating func demandFactor(station i: Int, at t: Int64) -> Double {
        let city = catalogue.cityIndexOfStation[i]
        let minute = t / EventTime.microsPerMinute
        if demandMinute[city] == minute { return demandValue[city] }
        let w = weather.state(station: i, at: t)
        var factor = 1.0
        if w.rainWeight > 0 {
            let rainFactor = max(0.3, 0.6 - 0.05 * w.precipMm)
            factor *= 1 - w.rainWeight * (1 - rainFactor)
        }
        if w.tempC < 12 {
            factor *= max(0.35, 1 - 0.035 * (12 - w.tempC))
        } else if w.tempC > 30 {
            factor *= max(0.6, 1 - 0.04 * (w.tempC - 30))
        }
        if w.windKph > 30 { factor *= 0.85 }
        demandMinute[city] = minute
        demandValue[city] = factor
        return factor
    }
}
