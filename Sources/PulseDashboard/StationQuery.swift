/// The orders the station table offers; `s` cycles through them.
enum StationSort: CaseIterable, Sendable {
    case id, city, utilization, rain

    /// The word shown in the table title.
    var label: String {
        switch self {
        case .id: "id"
        case .city: "city"
        case .utilization: "util"
        case .rain: "rain"
        }
    }

    /// The next order in the cycle.
    var next: StationSort {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// A station with its city's weather, as one table row.
struct StationRow: Sendable {
    var station: StationLive
    var weather: CityWeather?
}

/// Filtering and sorting of the station table: pure, so the visible rows are a function of the snapshot
/// and the user's choices.
enum StationQuery {
    /// The rows matching `filter` (case-insensitive, in id, city or weather condition), in `sort` order;
    /// utilisation and rain sort highest first, unknown values last, ties by id.
    static func rows(of snapshot: DashboardSnapshot, filter: String, sort: StationSort) -> [StationRow] {
        let needle = filter.lowercased()
        var rows: [StationRow] = []
        rows.reserveCapacity(snapshot.stations.count)
        for station in snapshot.stations {
            let weather = snapshot.weatherByCity[station.city]
            if !needle.isEmpty {
                let matches =
                    station.id.lowercased().contains(needle) || station.city.lowercased().contains(needle)
                    || (weather?.condition.lowercased().contains(needle) ?? false)
                if !matches { continue }
            }
            rows.append(StationRow(station: station, weather: weather))
        }
        rows.sort { a, b in
            switch sort {
            case .id:
                return a.station.id < b.station.id
            case .city:
                return (a.station.city, a.station.id) < (b.station.city, b.station.id)
            case .utilization:
                return descending(a.station.utilization, b.station.utilization, a.station.id, b.station.id)
            case .rain:
                return descending(a.weather?.precipMm, b.weather?.precipMm, a.station.id, b.station.id)
            }
        }
        return rows
    }

    private static func descending(_ a: Double?, _ b: Double?, _ idA: String, _ idB: String) -> Bool {
        switch (a, b) {
        case let (x?, y?): return x != y ? x > y : idA < idB
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return idA < idB
        }
    }
}
