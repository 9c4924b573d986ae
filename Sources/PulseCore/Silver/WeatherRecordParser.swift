/// Silver for the weather topic: turns one Kafka record value into a `silver/weather_events`
/// row appended to `SilverWeatherColumns`, or the reason it goes to quarantine.
///
/// Rules, checked in this order: valid JSON; an object; no known field twice; each field
/// present with its type, in `fieldNames` order (humidity and pressure_mb integers; temp_c,
/// precip_mm, wind_kph numbers; station_id, weather_city, condition, event_time strings);
/// station_id in the catalogue; event_time parsable (`EventTimeParser`); event_time, temp_c,
/// precip_mm, humidity, wind_kph and pressure_mb within `Plausibility`, in that order.
public struct WeatherRecordParser: Sendable {
    /// The weather shape, in the order producers write it.
    public static let fieldNames = [
        "station_id", "weather_city", "temp_c", "precip_mm", "humidity", "wind_kph", "pressure_mb", "condition",
        "event_time",
    ]
    static let stationID = 0, weatherCity = 1, tempC = 2, precipMM = 3, humidity = 4, windKPH = 5
    static let pressureMB = 6, condition = 7, eventTime = 8

    var scanner = JSONRecordScanner(fieldNames: WeatherRecordParser.fieldNames)
    /// The catalogue station_id is checked against; row station indexes refer to it.
    public let stations: StationLookup

    /// - Parameter stations: the station catalogue; row `stationIndex` values index into it.
    public init(stations: [String]) {
        self.stations = StationLookup(stationIDs: stations)
    }

    /// Parses `value`; appends one row to `columns` and returns nil when Silver accepts it,
    /// otherwise leaves `columns` unchanged and returns the reason.
    public mutating func parse(_ value: UnsafeRawBufferPointer, into columns: inout SilverWeatherColumns) -> RejectReason? {
        switch scanner.scan(value) {
        case .object: break
        case .notJSON(let error): return .notJSON(error)
        case .notAnObject(let kind): return .notAnObject(found: kind)
        case .duplicateField(let field): return .duplicateField(Self.fieldNames[field])
        }
        let base = value.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let stations = self.stations
        return scanner.slots.withUnsafeBufferPointer { slots in
            let reader = SilverFieldReader(base: base, slots: slots, names: Self.fieldNames)
            do throws(RejectReason) {
                let station = try reader.string(Self.stationID)
                let city = try reader.string(Self.weatherCity)
                let temp = try reader.double(Self.tempC)
                let precip = try reader.double(Self.precipMM)
                let humidity = try reader.int32(Self.humidity)
                let wind = try reader.double(Self.windKPH)
                let pressure = try reader.int32(Self.pressureMB)
                let condition = try reader.string(Self.condition)
                let time = try reader.string(Self.eventTime)
                let stationIndex = try reader.station(station, in: stations)
                let micros = try reader.eventTime(time)
                try Plausibility.checkEventTime(micros)
                try Plausibility.check(temp, in: Plausibility.tempC, field: "temp_c")
                try Plausibility.check(precip, in: Plausibility.precipMM, field: "precip_mm")
                try Plausibility.check(humidity, in: Plausibility.humidity, field: "humidity")
                try Plausibility.check(wind, in: Plausibility.windKPH, field: "wind_kph")
                try Plausibility.check(pressure, in: Plausibility.pressureMB, field: "pressure_mb")

                columns.stationIndex.append(Int32(truncatingIfNeeded: stationIndex))
                columns.stationID.appendJSONString(base, station)
                columns.weatherCity.appendJSONString(base, city)
                columns.tempC.append(temp)
                columns.precipMM.append(precip)
                columns.humidity.append(humidity)
                columns.windKPH.append(wind)
                columns.pressureMB.append(pressure)
                columns.condition.appendJSONString(base, condition)
                columns.eventTime.append(micros)
                columns.dt.append(EventTimeParser.civilDay(micros))
                return nil
            } catch {
                return error
            }
        }
    }
}
