import Foundation
import Testing

@testable import PulseCore

@Suite struct WeatherRecordParserTests {
    func parseOne(_ text: String) -> (RejectReason?, SilverWeatherColumns) {
        var parser = WeatherRecordParser()
        var columns = SilverWeatherColumns()
        let reason = parser.parse(text, into: &columns)
        return (reason, columns)
    }

    @Test func parsesTheProducersShape() {
        let (reason, c) = parseOne(weatherJSON(station: "S003", city: "Somerville", condition: "Rain"))
        #expect(reason == nil)
        #expect(c.stationIndex == [2])
        #expect(c.stationID[0] == "S003")
        #expect(c.weatherCity[0] == "Somerville")
        #expect(c.tempC == [18.3])
        #expect(c.tempC[0].bitPattern == Double("18.3")!.bitPattern)
        #expect(c.precipMM == [0.0])
        #expect(c.humidity == [70])
        #expect(c.windKPH == [12.5])
        #expect(c.pressureMB == [1012])
        #expect(c.condition[0] == "Rain")
        #expect(c.eventTime == [1_755_730_800_000_000])
        #expect(c.dt == [20320])
    }

    @Test(arguments: [
        ("1.83e1", 18.3), ("-0.0", -0.0), ("4", 4.0), ("0.1", 0.1), ("1E+1", 10.0), ("183e-1", 18.3),
        ("18.300000000000000710542735760100185871124267578125", 18.3), ("59.99", 59.99),
    ])
    func acceptsAnyJSONNumberForDoubles(_ text: String, _ value: Double) {
        let (reason, c) = parseOne(weatherJSON(temp: text, precip: text, wind: text))
        #expect(reason == nil, "\(text)")
        #expect(c.tempC.first?.bitPattern == value.bitPattern, "\(text)")
        #expect(c.precipMM.first?.bitPattern == value.bitPattern)
    }

    /// Plausibility ranges (ARCHITECTURE.md § Tables): each bound is inside, one step past it is out,
    /// with the field named in the reason.
    @Test(
        arguments: [
            (weatherJSON(temp: "-90"), nil), (weatherJSON(temp: "60"), nil),
            (weatherJSON(temp: "-90.01"), "implausible_temp_c"),
            (weatherJSON(temp: "1.7e308"), "implausible_temp_c"), (weatherJSON(temp: "-273.15"), "implausible_temp_c"),
            (weatherJSON(precip: "0"), nil), (weatherJSON(precip: "500"), nil),
            (weatherJSON(precip: "-0.1"), "implausible_precip_mm"),
            (weatherJSON(humidity: "0"), nil), (weatherJSON(humidity: "100"), nil),
            (weatherJSON(humidity: "101"), "implausible_humidity"),
            (weatherJSON(wind: "500"), nil), (weatherJSON(wind: "500.5"), "implausible_wind_kph"),
            (weatherJSON(pressure: "850"), nil), (weatherJSON(pressure: "1100"), nil),
            (weatherJSON(pressure: "-1"), "implausible_pressure_mb"),
            (weatherJSON(time: "1970-01-01T00:00:00Z"), nil),
            (weatherJSON(time: "1969-12-31T23:59:59Z"), "implausible_event_time"),
            (weatherJSON(time: "2199-12-31T23:59:59Z"), nil),
            (weatherJSON(time: "2200-01-01T00:00:00Z"), "implausible_event_time"),
            (weatherJSON(time: "9999-12-31T23:59:59-00:01"), "implausible_event_time"),
            (weatherJSON(time: "0000-01-01T00:00:00Z"), "implausible_event_time"),
        ] as [(String, String?)])
    func plausibilityRanges(_ text: String, _ rule: String?) {
        let (result, _) = parseOne(text)
        #expect(result?.rule == rule, "\(text): \(String(describing: result))")
    }

    @Test func aReasonNamesTheRangeBroken() {
        #expect(
            parseOne(weatherJSON(temp: "1.7e308")).0?.description == "implausible temp_c 1.7e+308: outside -90...60")
        #expect(
            parseOne(weatherJSON(time: "9999-12-31T23:59:59-00:01")).0?.description
                == "implausible event_time 10000-01-01T00:00:59Z: outside 1970-01-01T00:00:00Z..<2200-01-01T00:00:00Z")
    }

    @Test(arguments: [
        (weatherJSON(temp: "\"warm\""), "wrong type temp_c: expected number, found string"),
        (weatherJSON(temp: "1e400"), "number out of range temp_c: must fit a double"),
        (weatherJSON(wind: "-1e309"), "number out of range wind_kph: must fit a double"),
        (
            weatherJSON(humidity: "70.5"),
            "wrong type humidity: expected integer, found number with fraction or exponent"
        ),
        (weatherJSON(humidity: "7e1"), "wrong type humidity: expected integer, found number with fraction or exponent"),
        (weatherJSON(pressure: "\"1012\""), "wrong type pressure_mb: expected integer, found string"),
        (weatherJSON(pressure: "3000000000"), "integer out of range pressure_mb: must fit int32"),
        (weatherJSON(station: "S999"), "unknown station \"S999\""),
        (weatherJSON(time: "2025-08-20"), "unparsable event_time \"2025-08-20\": expected RFC 3339 with Z or offset"),
        (weatherJSON().replacingOccurrences(of: "\"condition\": \"Clear\", ", with: ""), "missing field condition"),
        (
            weatherJSON().replacingOccurrences(of: "\"precip_mm\": 0.0", with: "\"precip_mm\": null"),
            "wrong type precip_mm: expected number, found null"
        ),
        ("[1, 2]", "not an object: found array"),
    ])
    func rejectsWithReason(_ text: String, _ reason: String) {
        let (result, columns) = parseOne(text)
        #expect(result?.description == reason, "\(text)")
        #expect(columns.count == 0)
    }

    @Test func negativeValuesAreWeather() {
        // A cold, calm, dry day is valid weather.
        let (reason, c) = parseOne(weatherJSON(temp: "-12.5", precip: "0", humidity: "0", wind: "0", pressure: "870"))
        #expect(reason == nil)
        #expect(c.tempC == [-12.5])
        #expect(c.pressureMB == [870])
    }

    /// Random numbers in every JSON form: the Doubles must equal Swift's own correctly rounded
    /// `Double(String)` bit for bit, and Foundation must accept every record we accept.
    @Test func randomNumbersParseExactly() throws {
        var rng = SeededGenerator(seed: 77)
        var parser = WeatherRecordParser()
        var columns = SilverWeatherColumns()
        for i in 0..<3000 {
            let digits = (0..<Int.random(in: 1...22, using: &rng)).map { _ in String(Int.random(in: 0...9, using: &rng))
            }.joined()
            var text = (Bool.random(using: &rng) ? "-" : "") + (digits.first == "0" ? "0" : digits)
            if Bool.random(using: &rng) { text += "." + String(digits.reversed()) }
            if Int.random(in: 0..<3, using: &rng) == 0 {
                text +=
                    ["e", "E"].randomElement(using: &rng)! + ["", "+", "-"].randomElement(using: &rng)!
                    + String(Int.random(in: 0...330, using: &rng))
            }
            let expected = Double(text)!
            let reason = parser.parse(weatherJSON(temp: text), into: &columns)
            if !expected.isFinite {
                #expect(reason?.rule == "number_out_of_range", "\(text)")
                continue
            }
            // Parsed exactly, then judged by the plausible range (whose reason prints the value read).
            if !(-90...60).contains(expected) {
                #expect(reason?.description.hasPrefix("implausible temp_c \(expected):") == true, "\(text)")
                continue
            }
            #expect(reason == nil, "\(text)")
            #expect(
                columns.tempC.last?.bitPattern == expected.bitPattern,
                "\(text) -> \(String(describing: columns.tempC.last)) expected \(expected)")
            if i % 10 == 0 {
                let object =
                    try JSONSerialization.jsonObject(with: Data(weatherJSON(temp: text).utf8)) as? [String: Any]
                #expect(object?["temp_c"] != nil)
            }
        }
    }
}
