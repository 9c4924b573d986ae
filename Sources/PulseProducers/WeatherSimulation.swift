import PulseCore

/// Weather readings per station's city: the shared `WeatherModel` reported with small
/// measurement noise and the original's rounding (1 decimal, integer humidity and pressure) and
/// condition classes.
///
/// Deterministic: the same seed and the same calls give the same events.
public struct WeatherSimulation: Sendable {
    /// Stations reported on.
    public let catalogue: StationCatalogue
    /// The weather being measured.
    public private(set) var model: WeatherModel
    var rng: SeededRandom

    /// A simulation of `catalogue` for `seed`; `startMicros` is the simulated clock's start.
    public init(catalogue: StationCatalogue = .standard, seed: UInt64, startMicros: Int64) {
        self.catalogue = catalogue
        self.model = WeatherModel(catalogue: catalogue, seed: seed, anchorMicros: startMicros)
        self.rng = SeededRandom(seed: seed, stream: 0x3EA7)
    }

    /// The true (unrounded, noise-free) weather at a station's city at `t`.
    public mutating func weatherState(station: Int, at t: Int64) -> WeatherModel.State {
        model.state(station: station, at: t)
    }

    /// The original producer's step: one reading for a station chosen uniformly at random.
    public mutating func nextEvent(at eventTime: Int64) -> WeatherEvent {
        event(station: nextStation(), at: eventTime)
    }

    /// The station the original's `random.choice` would report on next (dense index).
    public mutating func nextStation() -> Int {
        rng.nextInt(below: catalogue.count)
    }

    /// One reading per station, all stamped `eventTime`.
    public mutating func nextRound(at eventTime: Int64) -> [WeatherEvent] {
        (0..<catalogue.count).map { event(station: $0, at: eventTime) }
    }

    /// The reading of station `station` (dense index) at `eventTime`.
    public mutating func event(station: Int, at eventTime: Int64) -> WeatherEvent {
        let s = catalogue[station]
        let w = model.state(station: station, at: eventTime)
        let temp = roundTenth(w.tempC + 0.15 * rng.nextNormal())
        var precip = 0.0
        if w.rainWeight > 0 {
            precip = max(0.1, roundTenth(w.precipMm * (1 + 0.1 * rng.nextNormal())))
        }
        let wind = roundTenth(max(0, w.windKph + 1.2 * rng.nextNormal()))
        let humidity = min(100, max(25, Int((w.humidity + 1.5 * rng.nextNormal()).rounded())))
        let pressure = Int((w.pressureMb + 0.4 * rng.nextNormal()).rounded())
        return WeatherEvent(
            stationID: s.id, weatherCity: s.city, tempC: temp, precipMm: precip, humidity: humidity,
            windKph: wind, pressureMb: pressure,
            condition: WeatherEvent.condition(tempC: temp, precipMm: precip, windKph: wind, humidity: humidity),
            eventTimeMicros: eventTime)
    }

    /// Rounds to one decimal, never producing -0.0 (Python would print "-0.0").
    func roundTenth(_ x: Double) -> Double {
        let r = (x * 10).rounded() / 10
        return r == 0 ? 0 : r
    }
}
