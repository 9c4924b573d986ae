@testable import PulseCore

/// The 30-station catalogue of the producers (S001 ... S030).
let testStations = (1...30).map { $0 < 10 ? "S00\($0)" : "S0\($0)" }

/// A bike record value as Python's json.dumps writes it.
func bikeJSON(
    city: String = "Boston", station: String = "S001", docks: Int = 19, available: Int = 7, occupied: Int = 12,
    docksAvailable: Int = 7, time: String = "2025-08-20T23:00:00Z"
) -> String {
    "{\"bike_city\": \"\(city)\", \"station_id\": \"\(station)\", \"docks_total\": \(docks), \"bikes_available\": \(available), "
        + "\"bikes_occupied\": \(occupied), \"docks_available\": \(docksAvailable), \"event_time\": \"\(time)\"}"
}

/// A weather record value as Python's json.dumps writes it.
func weatherJSON(
    station: String = "S001", city: String = "Boston", temp: String = "18.3", precip: String = "0.0",
    humidity: String = "70", wind: String = "12.5", pressure: String = "1012", condition: String = "Clear",
    time: String = "2025-08-20T23:00:00Z"
) -> String {
    "{\"station_id\": \"\(station)\", \"weather_city\": \"\(city)\", \"temp_c\": \(temp), \"precip_mm\": \(precip), "
        + "\"humidity\": \(humidity), \"wind_kph\": \(wind), \"pressure_mb\": \(pressure), \"condition\": \"\(condition)\", "
        + "\"event_time\": \"\(time)\"}"
}

extension BikeRecordParser {
    /// Parses a string value (tests only).
    mutating func parse(_ text: String, into columns: inout SilverBikeColumns) -> RejectReason? {
        parse(Array(text.utf8), into: &columns)
    }

    mutating func parse(_ bytes: [UInt8], into columns: inout SilverBikeColumns) -> RejectReason? {
        bytes.withUnsafeBytes { parse($0, into: &columns) }
    }
}

extension WeatherRecordParser {
    /// Parses a string value (tests only).
    mutating func parse(_ text: String, into columns: inout SilverWeatherColumns) -> RejectReason? {
        parse(Array(text.utf8), into: &columns)
    }

    mutating func parse(_ bytes: [UInt8], into columns: inout SilverWeatherColumns) -> RejectReason? {
        bytes.withUnsafeBytes { parse($0, into: &columns) }
    }
}

extension JSONRecordScanner {
    mutating func scan(_ text: String) -> JSONScanOutcome {
        Array(text.utf8).withUnsafeBytes { scan($0) }
    }
}
