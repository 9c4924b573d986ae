import Glibc
import PulseCore

/// Rain for one city as a two-state Markov chain (dry spell, rain spell) with random durations
/// and a per-spell intensity, generated forward from an anchor time.
///
/// The chain depends only on its seed and anchor, not on who queries it or how often, so the bike
/// simulation and the weather simulation built with the same seed see the same rain.
public struct RainSpells: Sendable {
    /// One rain spell: [startMicros, endMicros), peak precipitation (mm).
    public struct Spell: Sendable, Hashable {
        public let startMicros: Int64
        public let endMicros: Int64
        public let intensityMm: Double
    }

    /// Mean dry spell, mean rain spell (Boston: rain ~10% of the time, a few spells a week).
    static let meanDryHours = 20.0
    static let meanRainHours = 2.5
    /// Rain ramps up and down over this long at a spell's edges.
    static let rampMicros = 20 * EventTime.microsPerMinute

    var rng: SeededRandom
    /// Recent rain spells, oldest first (a few are kept for slightly out-of-order queries).
    var recent: [Spell] = []
    /// Time up to which the chain has been generated.
    var horizon: Int64
    let anchor: Int64

    /// A chain for `seed`/`stream` starting at `anchorMicros`.
    public init(seed: UInt64, stream: UInt64, anchorMicros: Int64) {
        rng = SeededRandom(seed: seed, stream: stream)
        anchor = anchorMicros
        horizon = anchorMicros
        // Start in the stationary mix: dry most of the time.
        let rainShare = Self.meanRainHours / (Self.meanRainHours + Self.meanDryHours)
        if rng.nextUnit() < rainShare {
            appendRain(from: anchorMicros, durationScale: rng.nextUnit())
        }
    }

    /// How far ahead of a query the chain is generated, so `nearness` can see the next spell.
    static let lookaheadMicros = 3 * EventTime.microsPerHour

    /// Rain at time `t`: `precipMm` 0 when dry, else the spell's intensity ramped at its edges;
    /// `weight` the 0...1 ramp; `nearness` 1 inside a spell, falling to 0 at 3 h from one
    /// (pressure falls before rain and recovers after). Times before the anchor are dry.
    public mutating func rain(at t: Int64) -> (precipMm: Double, weight: Double, nearness: Double) {
        if t < anchor { return (0, 0, 0) }
        while horizon <= t + Self.lookaheadMicros { advance() }
        var distance = Self.lookaheadMicros
        for spell in recent {
            if t >= spell.startMicros && t < spell.endMicros {
                let edge = min(t - spell.startMicros, spell.endMicros - t)
                let w = edge >= Self.rampMicros ? 1.0 : Double(edge) / Double(Self.rampMicros)
                return (spell.intensityMm * w, w, 1)
            }
            distance = min(distance, t < spell.startMicros ? spell.startMicros - t : t - spell.endMicros)
        }
        let x = 1 - Double(distance) / Double(Self.lookaheadMicros)
        return (0, 0, x * x * (3 - 2 * x))
    }

    mutating func advance() {
        // A dry spell, then a rain spell.
        let dry = exponential(meanHours: Self.meanDryHours, minHours: 1)
        appendRain(from: horizon + dry, durationScale: nil)
    }

    mutating func appendRain(from start: Int64, durationScale: Double?) {
        var duration = exponential(meanHours: Self.meanRainHours, minHours: 0.35)
        duration = min(duration, 12 * EventTime.microsPerHour)
        if let scale = durationScale { duration = max(EventTime.microsPerHour / 3, Int64(Double(duration) * scale)) }
        let u = rng.nextUnit()
        let intensity: Double
        if u < 0.55 {
            intensity = rng.nextUniform(0.3, 1.5)  // light
        } else if u < 0.9 {
            intensity = rng.nextUniform(1.5, 4.0)  // moderate
        } else {
            intensity = rng.nextUniform(4.0, 10.0)  // heavy
        }
        recent.append(Spell(startMicros: start, endMicros: start + duration, intensityMm: intensity))
        if recent.count > 8 { recent.removeFirst(recent.count - 8) }
        horizon = start + duration
    }

    mutating func exponential(meanHours: Double, minHours: Double) -> Int64 {
        let hours = max(minHours, -meanHours * log(1 - rng.nextUnit()))
        return Int64(hours * Double(EventTime.microsPerHour))
    }
}
