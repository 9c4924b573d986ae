import Glibc
import PulseCore

/// The "true" weather of each city over time, shared by the weather simulation (which reports
/// it with measurement noise) and the bike simulation (whose demand it lowers).
///
/// Temperature = city baseline + season + a day curve (coolest ~5 am, warmest ~3 pm local) +
/// smooth random variation (value noise, a pure function of seed, city and time) - rain cooling.
/// Rain comes in spells (`RainSpells`); humidity, pressure and wind move with temperature and rain.
/// Same seed and same day of `anchorMicros` give the same weather.
public struct WeatherModel: Sendable {
    /// The weather of a city at an instant, before measurement noise and rounding.
    public struct State: Sendable, Hashable {
        public var tempC: Double
        public var precipMm: Double
        /// 0 dry ... 1 in the body of a rain spell.
        public var rainWeight: Double
        public var humidity: Double
        public var windKph: Double
        public var pressureMb: Double
    }

    public let catalogue: StationCatalogue
    let noiseSeed: UInt64
    var spells: [RainSpells]
    var eastern = EasternTime()

    /// Weather for every city of `catalogue`; `anchorMicros` (the simulated clock's start) is
    /// rounded down to its UTC day so producers started on the same day agree.
    public init(catalogue: StationCatalogue = .standard, seed: UInt64, anchorMicros: Int64) {
        self.catalogue = catalogue
        self.noiseSeed = SplitMix64.mix(seed ^ 0x57EA_7E00)
        let day = Int64(EventTime.daysSinceEpoch(micros: anchorMicros)) * EventTime.microsPerDay
        self.spells = catalogue.cities.indices.map {
            RainSpells(seed: seed, stream: 0x4A11_0000 + UInt64($0), anchorMicros: day)
        }
    }

    /// The weather of a station's city at `t` (epoch micros).
    public mutating func state(station: Int, at t: Int64) -> State {
        state(city: catalogue.cityIndexOfStation[station], baseline: catalogue[station].weatherBaseline, at: t)
    }

    /// The weather of city `city` (index into `catalogue.cities`) with its baseline at `t`.
    public mutating func state(city: Int, baseline: WeatherBaseline, at t: Int64) -> State {
        let local = eastern.localMicros(utc: t)
        let hourOfDay =
            Double(local - Int64(EventTime.daysSinceEpoch(micros: local)) * EventTime.microsPerDay)
            / Double(EventTime.microsPerHour)
        let dayNumber = Double(t) / Double(EventTime.microsPerDay)
        let (precip, rain, nearness) = spells[city].rain(at: t)

        // Season: ~+3 °C on the original's August baselines, ~-19 °C in late January.
        let season =
            12 * (cos(2 * Double.pi * (dayNumber.truncatingRemainder(dividingBy: 365.2425) - 202) / 365.2425) - 0.6)
        let daily = cos(2 * Double.pi * (hourOfDay - 15) / 24)  // +1 at 3 pm, -1 at 3 am
        let c = UInt64(city)
        let tempNoise =
            2.0 * noise(1, c, t, 6 * EventTime.microsPerHour)
            + 0.6 * noise(2, c, t, EventTime.microsPerHour)
        let temp = baseline.tempC + season + 4.5 * daily + tempNoise - 2.0 * rain
        let humidity =
            Double(baseline.humidity) - 2.0 * (4.5 * daily + tempNoise) + 20 * rain
            + 5 * noise(3, c, t, 3 * EventTime.microsPerHour)
        let pressure = Double(baseline.pressureMb) + 7 * noise(4, c, t, 12 * EventTime.microsPerHour) - 5 * nearness
        let wind = baseline.windKph + 2 * daily + 5 * noise(5, c, t, 2 * EventTime.microsPerHour) + 7 * rain
        let gust = 0.75 + 0.25 * noise(6, c, t, 20 * EventTime.microsPerMinute)
        return State(
            tempC: temp, precipMm: precip * gust, rainWeight: rain,
            humidity: min(100, max(25, humidity)), windKph: max(0, wind), pressureMb: pressure)
    }

    /// Smooth value noise in [-1, 1]: random values at multiples of `period`, smoothstep between.
    func noise(_ channel: UInt64, _ city: UInt64, _ t: Int64, _ period: Int64) -> Double {
        var k = t / period
        if t % period < 0 { k -= 1 }
        let f = Double(t - k * period) / Double(period)
        let a = lattice(channel, city, k)
        let b = lattice(channel, city, k + 1)
        return a + (b - a) * (f * f * (3 - 2 * f))
    }

    func lattice(_ channel: UInt64, _ city: UInt64, _ k: Int64) -> Double {
        let h = SplitMix64.mix(
            noiseSeed ^ (channel &* 0x9E37_79B9_7F4A_7C15) ^ (city &* 0xC2B2_AE3D_27D4_EB4F)
                ^ UInt64(bitPattern: k) &* 0x1656_67B1_9E37_79F9)
        return Double(h >> 11) * 0x1.0p-52 - 1
    }
}
