/// A city's typical weather, the level the weather simulation wanders around.
///
/// Values mirror the original City Mobility Pulse weather producer's per-station baselines
/// (temp_c, wind_kph, humidity %, pressure_mb).
public struct WeatherBaseline: Sendable, Hashable {
    /// Mean air temperature in °C (the original's summer-time baseline).
    public let tempC: Double
    /// Mean wind speed in km/h.
    public let windKph: Double
    /// Mean relative humidity in percent.
    public let humidity: Int
    /// Mean sea-level pressure in millibar.
    public let pressureMb: Int

    /// Creates a baseline from the four mean values.
    public init(tempC: Double, windKph: Double, humidity: Int, pressureMb: Int) {
        self.tempC = tempC
        self.windKph = windKph
        self.humidity = humidity
        self.pressureMb = pressureMb
    }
}

/// One bike-share station of the catalogue: the fixed facts every bike and weather event repeats.
///
/// The UTF-8 forms of the id and city are kept alongside the strings so that serializers and
/// Kafka keys reuse them instead of re-encoding per event.
public struct Station: Sendable, Hashable {
    /// Station id such as "S001"; the Kafka key of both topics.
    public let id: String
    /// City the station is in: `bike_city` and `weather_city` in the payloads.
    public let city: String
    /// Number of docks, fixed per station as in the original producer.
    public let docksTotal: Int
    /// The city's typical weather.
    public let weatherBaseline: WeatherBaseline
    /// `id` as UTF-8 bytes (the Kafka key).
    public let idUTF8: [UInt8]
    /// `city` as UTF-8 bytes.
    public let cityUTF8: [UInt8]

    /// Creates a station; a negative `docksTotal` is stored as 0.
    public init(id: String, city: String, docksTotal: Int, weatherBaseline: WeatherBaseline) {
        self.id = id
        self.city = city
        self.docksTotal = max(0, docksTotal)
        self.weatherBaseline = weatherBaseline
        self.idUTF8 = Array(id.utf8)
        self.cityUTF8 = Array(city.utf8)
    }
}
