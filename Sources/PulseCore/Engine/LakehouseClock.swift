/// Where the simulated city's story stands in a lakehouse: the latest event time Silver holds, read
/// from the data files' statistics (no data file is opened). Producers started without `--start` continue
/// after it, so a second run carries the story on instead of writing the same hours again.
public enum LakehouseClock {
    /// The greatest `event_time` over the Silver tables, epoch microseconds; nil for an empty lakehouse.
    public static func latestEventTime(store: any ObjectStore) throws -> Int64? {
        var latest: Int64?
        for definition in [TableSchemas.silverBike, TableSchemas.silverWeather] {
            guard let snapshot = try DeltaTable(store: store, path: definition.path).snapshot() else { continue }
            // Silver's dt is the date of event_time: the newest day's files hold the latest event.
            let newestDay = snapshot.files.values.compactMap { $0.partitionValues["dt"] ?? nil }.max()
            for add in snapshot.files.values where newestDay == nil || (add.partitionValues["dt"] ?? nil) == newestDay {
                guard let stats = add.stats, let json = try? JSONParser.parse(stats),
                    let text = json["maxValues"]?["event_time"]?.stringValue,
                    let micros = EventTimeParser.parse(text)
                else { continue }
                latest = max(latest ?? micros, micros)
            }
        }
        return latest
    }
}
