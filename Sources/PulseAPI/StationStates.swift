import PulseCore

/// `/stations`: each station's latest state as the dashboard shows it: bikes available and in use,
/// utilisation, when it last reported, and its city's latest weather. Inside a running engine it is the
/// engine's live view; for `serve` it is read from the newest Silver rows of each station.
enum StationStates {
    static func current(live: LiveEngine?, readers: [String: TableReader]) -> [JSONValue] {
        let catalogue = StationCatalogue.standard.stations
        if let activity = live?.activity {
            let snapshot = activity.snapshot()
            return snapshot.stations.map { station in
                let weather = snapshot.weatherByCity[station.city]
                return state(
                    id: station.id, city: station.city, docks: station.docksTotal,
                    available: station.bikesAvailable, occupied: station.bikesOccupied,
                    lastEvent: station.lastEventMicros,
                    weather: weather.map {
                        ($0.tempC, $0.precipMm, $0.humidity, $0.windKph, $0.condition, $0.eventMicros)
                    })
            }
        }
        return catalogue.map { station in
            let bike = try? readers["silver/bike_events"]?.newestRows(
                NewestRowsQuery(
                    columns: ["bikes_available", "bikes_occupied", "docks_total", "event_time"],
                    timeColumn: "event_time", filterColumn: "station_id", filterValue: station.id, limit: 1))
            let weather = try? readers["silver/weather_events"]?.newestRows(
                NewestRowsQuery(
                    columns: ["temp_c", "precip_mm", "humidity", "wind_kph", "condition", "event_time"],
                    timeColumn: "event_time", filterColumn: "station_id", filterValue: station.id, limit: 1))
            let b = bike?.rows.first
            let w = weather?.rows.first
            return state(
                id: station.id, city: station.city, docks: int(b?[2]) ?? station.docksTotal, available: int(b?[0]),
                occupied: int(b?[1]), lastEvent: time(b?[3]),
                weather: w.flatMap { w in
                    guard case .double(let temp) = w[0], case .double(let precip) = w[1], let humidity = int(w[2]),
                        case .double(let wind) = w[3], case .string(let condition) = w[4], let at = time(w[5])
                    else { return nil }
                    return (temp, precip, humidity, wind, condition, at)
                })
        }
    }

    static func state(
        id: String, city: String, docks: Int, available: Int?, occupied: Int?, lastEvent: Int64?,
        weather: (temp: Double, precip: Double, humidity: Int, wind: Double, condition: String, at: Int64)?
    ) -> JSONValue {
        .object([
            JSONMember("station_id", .string(id)), JSONMember("city", .string(city)),
            JSONMember("docks_total", .int(Int64(docks))),
            JSONMember("bikes_available", available.map { .int(Int64($0)) } ?? .null),
            JSONMember("bikes_in_use", occupied.map { .int(Int64($0)) } ?? .null),
            JSONMember(
                "utilization",
                occupied.flatMap { docks > 0 ? .double(Double($0) / Double(docks)) : nil } ?? .null),
            JSONMember("last_event_time", lastEvent.map { .string(EventTime.timestampString(micros: $0)) } ?? .null),
            JSONMember(
                "weather",
                weather.map { w in
                    .object([
                        JSONMember("temp_c", .double(w.temp)), JSONMember("precip_mm", .double(w.precip)),
                        JSONMember("humidity", .int(Int64(w.humidity))), JSONMember("wind_kph", .double(w.wind)),
                        JSONMember("condition", .string(w.condition)),
                        JSONMember("event_time", .string(EventTime.timestampString(micros: w.at))),
                    ])
                } ?? .null),
        ])
    }

    private static func int(_ cell: CellValue?) -> Int? {
        if case .int(let value) = cell { return Int(value) }
        return nil
    }

    private static func time(_ cell: CellValue?) -> Int64? {
        if case .timestamp(let value) = cell { return value }
        return nil
    }
}
