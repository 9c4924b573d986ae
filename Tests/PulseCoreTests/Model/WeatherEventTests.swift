import Foundation
import Testing

@testable import PulseCore

@Suite struct WeatherEventTests {
    @Test func serializesLikeTheOriginal() throws {
        let event = WeatherEvent(
            stationID: "S030", weatherCity: "Salem", tempC: -0.4, precipMm: 0.0, humidity: 88, windKph: 12.0,
            pressureMb: 1009, condition: "Cloudy", eventTimeMicros: 1_755_730_800_000_000)
        #expect(
            String(decoding: event.json(), as: UTF8.self) == """
                {"station_id": "S030", "weather_city": "Salem", "temp_c": -0.4, "precip_mm": 0.0, "humidity": 88, \
                "wind_kph": 12.0, "pressure_mb": 1009, "condition": "Cloudy", "event_time": "2025-08-20T23:00:00Z"}
                """)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(event.json())) as? [String: Any])
        #expect(Set(object.keys) == Set(WeatherEvent.fieldNames))
        #expect(object["temp_c"] as? Double == -0.4)
    }

    @Test func classifiesConditionsAsTheOriginal() {
        #expect(WeatherEvent.condition(tempC: 15, precipMm: 2.0, windKph: 40, humidity: 99) == "Rain")
        #expect(WeatherEvent.condition(tempC: 15, precipMm: 0.1, windKph: 40, humidity: 99) == "Light rain")
        #expect(WeatherEvent.condition(tempC: 15, precipMm: 0, windKph: 30, humidity: 99) == "Windy")
        #expect(WeatherEvent.condition(tempC: 19.9, precipMm: 0, windKph: 29.9, humidity: 85) == "Cloudy")
        #expect(WeatherEvent.condition(tempC: 20, precipMm: 0, windKph: 10, humidity: 95) == "Clear")
    }
}
