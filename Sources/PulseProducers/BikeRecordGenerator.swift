import PulseCore

/// The bike producer's source of records: simulation + serialization + bad-record injection.
///
/// `nextBikeRecord(at:)` is the original producer's per-interval step (one station chosen at
/// random); `nextBikeRound(at:)` gives every station one event.
public struct BikeRecordGenerator: Sendable {
    /// The simulation behind the records.
    public private(set) var simulation: BikeSimulation
    /// The corruption applied to a share of records (off by default).
    public private(set) var injector: BadRecordInjector

    /// A generator for `seed` (`--seed`), the simulated clock's `startMicros`, and
    /// `badShare` (`--bad-records`).
    public init(catalogue: StationCatalogue = .standard, seed: UInt64, startMicros: Int64, badShare: Double = 0) {
        simulation = BikeSimulation(catalogue: catalogue, seed: seed, startMicros: startMicros)
        injector = BadRecordInjector(share: badShare, seed: seed ^ 0xB1CE_BAD)
    }

    /// One record for a station chosen uniformly at random, as the original sends per interval.
    public mutating func nextBikeRecord(at eventTime: Int64) -> ProducedRecord {
        let station = simulation.nextStation()
        return record(simulation.event(station: station, at: eventTime), station: station)
    }

    /// One record per station, all at `eventTime`.
    public mutating func nextBikeRound(at eventTime: Int64) -> [ProducedRecord] {
        var out: [ProducedRecord] = []
        out.reserveCapacity(simulation.catalogue.count)
        appendBikeRound(at: eventTime, to: &out)
        return out
    }

    /// `nextBikeRound(at:)` appending to a caller's array.
    public mutating func appendBikeRound(at eventTime: Int64, to out: inout [ProducedRecord]) {
        for i in 0..<simulation.catalogue.count {
            out.append(record(simulation.event(station: i, at: eventTime), station: i))
        }
    }

    mutating func record(_ event: BikeEvent, station: Int) -> ProducedRecord {
        let key = simulation.catalogue[station].idUTF8
        if let bad = injector.corrupt(event) {
            return ProducedRecord(
                kind: .bike, key: key, value: bad.value, eventTimeMicros: event.eventTimeMicros, badKind: bad.kind)
        }
        return ProducedRecord(kind: .bike, key: key, value: event.json(), eventTimeMicros: event.eventTimeMicros)
    }
}
