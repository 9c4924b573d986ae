import PulseCore

// libFuzzer target: one Kafka record value through Silver's bike and weather parsers
// (`JSONRecordScanner`, `JSONCursor`, `SilverFieldReader`, `EventTimeParser`, `StationCatalogue`).
//
// Besides "never traps", every input checks what Silver promises (ARCHITECTURE.md § Tables):
// - an accepted record adds exactly one row to every column, a rejected one none;
// - an accepted row's station index is in the catalogue and names the station_id it came from,
//   its event_time is in [1970-01-01, 2200-01-01) and its dt is that time's UTC day, each value
//   is in its plausible range, and every string column holds well-formed UTF-8;
// - an accepted record is valid JSON for the Delta log's own parser (`JSONParser`, written
//   independently), which reads the same field values;
// - a parser reused across records (as the engine does) decides exactly as a fresh one.

let stationIDs = StationCatalogue.standard.stations.map(\.id)
nonisolated(unsafe) var bikeParser = BikeRecordParser()
nonisolated(unsafe) var weatherParser = WeatherRecordParser()
nonisolated(unsafe) var bikeRows = SilverBikeColumns()
nonisolated(unsafe) var weatherRows = SilverWeatherColumns()

/// event_time in [1970-01-01, 2200-01-01) UTC, in microseconds.
let plausibleTimes: Range<Int64> = 0..<7_258_118_400_000_000
let microsPerDay: Int64 = 86_400_000_000

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONRecord(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let value = UnsafeRawBufferPointer(start: data, count: size)
    // The engine keeps columns across records of a batch; start a new batch now and then.
    if bikeRows.count > 512 { bikeRows.removeAll() }
    if weatherRows.count > 512 { weatherRows.removeAll() }
    checkBike(value)
    checkWeather(value)
    return 0
}

func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant broken: \(message())") }
}

func checkBike(_ value: UnsafeRawBufferPointer) {
    let before = bikeRows.count
    let reason = bikeParser.parse(value, into: &bikeRows)
    var fresh = BikeRecordParser()
    var freshRows = SilverBikeColumns()
    require(fresh.parse(value, into: &freshRows) == reason, "a reused bike parser decided otherwise than a fresh one")
    let c = bikeRows
    for count in [
        c.stationIndex.count, c.stationID.count, c.bikeCity.count, c.docksTotal.count, c.bikesAvailable.count,
        c.bikesOccupied.count, c.docksAvailable.count, c.dt.count, c.availabilityRate.count,
        c.utilizationRate.count, c.ratesValid.count,
    ] {
        require(count == c.count, "bike columns of unequal length")
    }
    guard reason == nil else {
        require(c.count == before, "a rejected bike record (\(reason!)) changed the columns")
        return
    }
    require(c.count == before + 1, "an accepted bike record added \(c.count - before) rows")
    let row = before
    checkStation(Int(c.stationIndex[row]), c.stationID, row: row)
    checkTime(c.eventTime[row], dt: c.dt[row])
    require(isUTF8(c.bikeCity, row: row), "bike_city is not UTF-8")
    let docks = c.docksTotal[row]
    require((0...1000).contains(docks), "docks_total \(docks) accepted")
    for count in [c.bikesAvailable[row], c.bikesOccupied[row], c.docksAvailable[row]] {
        require(count >= 0, "negative count \(count) accepted")
    }
    require(c.bikesAvailable[row] <= docks && c.bikesOccupied[row] <= docks, "count above docks_total accepted")
    require(c.ratesValid[row] == (docks > 0), "rates null iff docks_total <= 0")
    if docks > 0 {
        require((0...1).contains(c.availabilityRate[row]), "availability_rate \(c.availabilityRate[row])")
        require((0...1).contains(c.utilizationRate[row]), "utilization_rate \(c.utilizationRate[row])")
    }
    let object = independentlyParsed(value)
    requireSameString(object, "station_id", c.stationID, row: row)
    requireSameString(object, "bike_city", c.bikeCity, row: row)
    requireSameInteger(object, "docks_total", c.docksTotal[row])
    requireSameInteger(object, "bikes_available", c.bikesAvailable[row])
    requireSameInteger(object, "bikes_occupied", c.bikesOccupied[row])
    requireSameInteger(object, "docks_available", c.docksAvailable[row])
    requireSameTime(object, c.eventTime[row])
}

func checkWeather(_ value: UnsafeRawBufferPointer) {
    let before = weatherRows.count
    let reason = weatherParser.parse(value, into: &weatherRows)
    var fresh = WeatherRecordParser()
    var freshRows = SilverWeatherColumns()
    require(
        fresh.parse(value, into: &freshRows) == reason, "a reused weather parser decided otherwise than a fresh one")
    let c = weatherRows
    for count in [
        c.stationIndex.count, c.stationID.count, c.weatherCity.count, c.tempC.count, c.precipMM.count,
        c.humidity.count, c.windKPH.count, c.pressureMB.count, c.condition.count, c.dt.count,
    ] {
        require(count == c.count, "weather columns of unequal length")
    }
    guard reason == nil else {
        require(c.count == before, "a rejected weather record (\(reason!)) changed the columns")
        return
    }
    require(c.count == before + 1, "an accepted weather record added \(c.count - before) rows")
    let row = before
    checkStation(Int(c.stationIndex[row]), c.stationID, row: row)
    checkTime(c.eventTime[row], dt: c.dt[row])
    require(isUTF8(c.weatherCity, row: row) && isUTF8(c.condition, row: row), "weather string is not UTF-8")
    require((-90...60).contains(c.tempC[row]), "temp_c \(c.tempC[row]) accepted")
    require((0...500).contains(c.precipMM[row]), "precip_mm \(c.precipMM[row]) accepted")
    require((0...100).contains(c.humidity[row]), "humidity \(c.humidity[row]) accepted")
    require((0...500).contains(c.windKPH[row]), "wind_kph \(c.windKPH[row]) accepted")
    require((850...1100).contains(c.pressureMB[row]), "pressure_mb \(c.pressureMB[row]) accepted")
    let object = independentlyParsed(value)
    requireSameString(object, "station_id", c.stationID, row: row)
    requireSameString(object, "weather_city", c.weatherCity, row: row)
    requireSameString(object, "condition", c.condition, row: row)
    requireSameNumber(object, "temp_c", c.tempC[row])
    requireSameNumber(object, "precip_mm", c.precipMM[row])
    requireSameInteger(object, "humidity", c.humidity[row])
    requireSameNumber(object, "wind_kph", c.windKPH[row])
    requireSameInteger(object, "pressure_mb", c.pressureMB[row])
    requireSameTime(object, c.eventTime[row])
}

func checkStation(_ index: Int, _ ids: ByteArrayColumn, row: Int) {
    require(stationIDs.indices.contains(index), "station index \(index) outside the catalogue")
    require(ids[row] == stationIDs[index], "station index \(index) is \(stationIDs[index]), the row says \(ids[row])")
}

func checkTime(_ micros: Int64, dt: Int32) {
    require(plausibleTimes.contains(micros), "event_time \(micros) outside [1970, 2200)")
    let day = micros / microsPerDay  // micros >= 0: division is the floor
    require(Int64(dt) == day, "dt \(dt) is not the UTC day \(day) of event_time \(micros)")
    let text = EventTime.timestampString(micros: micros)
    require(EventTimeParser.parse(text) == micros, "event_time \(micros) does not read back from \(text)")
}

func isUTF8(_ column: ByteArrayColumn, row: Int) -> Bool {
    column.withBytes(ofRow: row) { UTF8Validation.isValid($0) }
}

/// The record as the Delta log's JSON parser reads it; it must accept whatever the scanner accepted.
func independentlyParsed(_ value: UnsafeRawBufferPointer) -> JSONValue {
    do {
        let parsed = try JSONParser.parse(Array(value))
        guard case .object = parsed else {
            fatalError("invariant broken: JSONParser read an accepted record as \(parsed)")
        }
        return parsed
    } catch {
        fatalError("invariant broken: Silver accepted a record JSONParser rejects: \(error)")
    }
}

func requireSameString(_ object: JSONValue, _ field: String, _ column: ByteArrayColumn, row: Int) {
    guard case .string(let text)? = object[field] else {
        fatalError("invariant broken: JSONParser has no string \(field)")
    }
    let bytes = column.withBytes(ofRow: row) { Array($0) }
    require(
        Array(text.utf8) == bytes,
        "\(field): JSONParser read \(text.debugDescription), Silver \(column[row].debugDescription)")
}

func requireSameInteger(_ object: JSONValue, _ field: String, _ value: Int32) {
    require(
        object[field] == .int(Int64(value)),
        "\(field): JSONParser read \(String(describing: object[field])), Silver \(value)")
}

func requireSameNumber(_ object: JSONValue, _ field: String, _ value: Double) {
    let other: Double
    switch object[field] {
    case .int(let number)?: other = Double(number)
    case .double(let number)?: other = number
    default: fatalError("invariant broken: JSONParser has no number \(field)")
    }
    // Both round the decimal text correctly, so they agree exactly (-0 and 0 compare equal).
    require(other == value, "\(field): JSONParser read \(other), Silver \(value)")
}

func requireSameTime(_ object: JSONValue, _ micros: Int64) {
    guard case .string(let text)? = object["event_time"] else { fatalError("invariant broken: no event_time string") }
    require(EventTimeParser.parse(text) == micros, "event_time: \(text.debugDescription) read as \(micros)")
}
