/// One weather reading for a station's city, the value of a record on the weather topic.
///
/// Fields and their order are the original producer's payload. Doubles are written rounded to
/// one decimal, as the original rounds them (`round(x, 1)`).
public struct WeatherEvent: Sendable, Hashable {
    /// `station_id`, also the Kafka key.
    public var stationID: String
    /// `weather_city`.
    public var weatherCity: String
    /// `temp_c`, °C.
    public var tempC: Double
    /// `precip_mm`.
    public var precipMm: Double
    /// `humidity`, percent.
    public var humidity: Int
    /// `wind_kph`.
    public var windKph: Double
    /// `pressure_mb`.
    public var pressureMb: Int
    /// `condition`: "Rain", "Light rain", "Windy", "Cloudy" or "Clear" (the original's classes).
    public var condition: String
    /// `event_time`, as epoch microseconds (written with whole seconds).
    public var eventTimeMicros: Int64

    /// Creates an event with every field given.
    public init(
        stationID: String, weatherCity: String, tempC: Double, precipMm: Double, humidity: Int,
        windKph: Double, pressureMb: Int, condition: String, eventTimeMicros: Int64
    ) {
        self.stationID = stationID
        self.weatherCity = weatherCity
        self.tempC = tempC
        self.precipMm = precipMm
        self.humidity = humidity
        self.windKph = windKph
        self.pressureMb = pressureMb
        self.condition = condition
        self.eventTimeMicros = eventTimeMicros
    }

    /// The payload as Python's `json.dumps(value)` writes it in the original producer.
    @inlinable
    public func json() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(224)
        appendJSON(to: &out)
        return out
    }

    /// Appends the payload to `out` (for callers that reuse one buffer).
    @inlinable
    public func appendJSON(to out: inout [UInt8]) {
        JSONBytes.appendLiteral("{\"station_id\": ", to: &out)
        JSONBytes.appendString(stationID, to: &out)
        JSONBytes.appendLiteral(", \"weather_city\": ", to: &out)
        JSONBytes.appendString(weatherCity, to: &out)
        JSONBytes.appendLiteral(", \"temp_c\": ", to: &out)
        JSONBytes.appendOneDecimal(tempC, to: &out)
        JSONBytes.appendLiteral(", \"precip_mm\": ", to: &out)
        JSONBytes.appendOneDecimal(precipMm, to: &out)
        JSONBytes.appendLiteral(", \"humidity\": ", to: &out)
        JSONBytes.appendInt(humidity, to: &out)
        JSONBytes.appendLiteral(", \"wind_kph\": ", to: &out)
        JSONBytes.appendOneDecimal(windKph, to: &out)
        JSONBytes.appendLiteral(", \"pressure_mb\": ", to: &out)
        JSONBytes.appendInt(pressureMb, to: &out)
        JSONBytes.appendLiteral(", \"condition\": ", to: &out)
        JSONBytes.appendString(condition, to: &out)
        JSONBytes.appendLiteral(", \"event_time\": \"", to: &out)
        EventTime.append(micros: eventTimeMicros, to: &out)
        JSONBytes.appendLiteral("\"}", to: &out)
    }

    /// Field names in payload order.
    public static let fieldNames = [
        "station_id", "weather_city", "temp_c", "precip_mm", "humidity", "wind_kph", "pressure_mb",
        "condition", "event_time",
    ]

    /// The original producer's `classify_condition`, so conditions stay in its vocabulary.
    @inlinable
    public static func condition(tempC: Double, precipMm: Double, windKph: Double, humidity: Int) -> String {
        if precipMm >= 2.0 { return "Rain" }
        if precipMm > 0.0 { return "Light rain" }
        if windKph >= 30 { return "Windy" }
        if humidity >= 85 && tempC < 20 { return "Cloudy" }
        return "Clear"
    }
}
