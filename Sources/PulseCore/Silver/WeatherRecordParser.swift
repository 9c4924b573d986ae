/// Silver for the weather topic: a record value to a `silver/weather_events` row.
public typealias WeatherRecordParser = SilverRecordParser<WeatherShape>

/// The weather record's Silver rules, checked in this order: each field present with its type, in
/// `fieldNames` order (humidity and pressure_mb integers; temp_c, precip_mm, wind_kph numbers;
/// station_id, weather_city, condition, event_time strings); station_id in the catalogue; event_time
/// parsable (`EventTimeParser`); event_time, temp_c, precip_mm, humidity, wind_kph and pressure_mb
/// within `Plausibility`, in that order.
public enum WeatherShape: SilverShape {
    /// The weather shape, in the order producers write it.
    public static let fieldNames = [
        "station_id", "weather_city", "temp_c", "precip_mm", "humidity", "wind_kph", "pressure_mb", "condition",
        "event_time",
    ]
    static let stationID = 0, weatherCity = 1, tempC = 2, precipMM = 3, humidity = 4, windKPH = 5
    static let pressureMB = 6, condition = 7, eventTime = 8

    @inline(__always)
    public static func read(
        _ reader: SilverFieldReader, catalogue: StationCatalogue, into columns: inout SilverWeatherColumns
    ) throws(RejectReason) {
        let station = try reader.string(stationID)
        let city = try reader.string(weatherCity)
        let temp = try reader.double(tempC)
        let precip = try reader.double(precipMM)
        let humidityValue = try reader.int32(humidity)
        let wind = try reader.double(windKPH)
        let pressure = try reader.int32(pressureMB)
        let conditionText = try reader.string(condition)
        let time = try reader.string(eventTime)
        let stationIndex = try reader.station(station, in: catalogue)
        let micros = try reader.eventTime(time)
        try Plausibility.checkEventTime(micros)
        try Plausibility.check(temp, in: Plausibility.tempC, field: "temp_c")
        try Plausibility.check(precip, in: Plausibility.precipMM, field: "precip_mm")
        try Plausibility.check(humidityValue, in: Plausibility.humidity, field: "humidity")
        try Plausibility.check(wind, in: Plausibility.windKPH, field: "wind_kph")
        try Plausibility.check(pressure, in: Plausibility.pressureMB, field: "pressure_mb")

        columns.stationIndex.append(Int32(truncatingIfNeeded: stationIndex))
        columns.stationID.appendJSONString(reader.base, station)
        columns.weatherCity.appendJSONString(reader.base, city)
        columns.tempC.append(temp)
        columns.precipMM.append(precip)
        columns.humidity.append(humidityValue)
        columns.windKPH.append(wind)
        columns.pressureMB.append(pressure)
        columns.condition.appendJSONString(reader.base, conditionText)
        columns.eventTime.append(micros)
        columns.dt.append(EventTimeParser.civilDay(micros))
    }
}
