import PulseCore

/// The weather producer's source of records: simulation + serialization + bad-record injection.
///
/// `nextWeatherRecord(at:)` is the original producer's per-interval step (one station chosen at
/// random); `nextWeatherRound(at:)` gives every station one reading.
public struct WeatherRecordGenerator: Sendable {
    /// The simulation behind the records.
    public private(set) var simulation: WeatherSimulation
    /// The corruption applied to a share of records (off by default).
    public private(set) var injector: BadRecordInjector

    /// A generator for `seed` (`--seed`), the simulated clock's `startMicros`, and
    /// `badShare` (`--bad-records`). Use the bike generator's seed and start to share its weather.
    public init(catalogue: StationCatalogue = .standard, seed: UInt64, startMicros: Int64, badShare: Double = 0) {
        simulation = WeatherSimulation(catalogue: catalogue, seed: seed, startMicros: startMicros)
        injector = BadRecordInjector(share: badShare, seed: seed ^ 0x3EA7_BAD)
    }

    /// One record for a station chosen uniformly at random, as the original sends per interval.
    public mutating func nextWeatherRecord(at eventTime: Int64) -> ProducedRecord {
        let station = simulation.nextStation()
        return record(simulation.event(station: station, at: eventTime), station: station)
    }

    /// One record per station, all at `eventTime`.
    public mutating func nextWeatherRound(at eventTime: Int64) -> [ProducedRecord] {
        var out: [ProducedRecord] = []
        out.reserveCapacity(simulation.catalogue.count)
        appendWeatherRound(at: eventTime, to: &out)
        return out
    }

    /// `nextWeatherRound(at:)` appending to a caller's array.
    public mutating func appendWeatherRound(at eventTime: Int64, to out: inout [ProducedRecord]) {
        for i in 0..<simulation.catalogue.count {
            out.append(record(simulation.event(station: i, at: eventTime), station: i))
        }
    }

    mutating func record(_ event: WeatherEvent, station: Int) -> ProducedRecord {
        let key = simulation.catalogue[station].idUTF8
        if let bad = injector.corrupt(event) {
            return ProducedRecord(
                kind: .weather, key: key, value: bad.value, eventTimeMicros: event.eventTimeMicros,
                badKind: bad.kind)
        }
        return ProducedRecord(kind: .weather, key: key, value: event.json(), eventTimeMicros: event.eventTimeMicros)
    }
}
