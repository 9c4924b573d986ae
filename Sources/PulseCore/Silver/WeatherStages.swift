/// Silver and Gold of the weather topic: `silver/weather_events`, `gold/weather_hourly|_daily`.
public struct WeatherStages: SourceStages {
    public typealias Aggregate = WeatherWindowAggregate
    public let source = "weather"
    public let silver = TableSchemas.silverWeather
    public let gold = [TableSchemas.goldWeather("hour"), TableSchemas.goldWeather("day")]
    public var silverStage: SilverStage<WeatherShape>
    private let stationIDs: [String]

    public init(catalogue: StationCatalogue = .standard) {
        stationIDs = catalogue.stations.map(\.id)
        silverStage = SilverStage(catalogue: catalogue)
    }

    public func goldBatch(tableIndex: Int, windows: [ClosedWindow<WeatherWindowAggregate>]) -> RecordBatch {
        let rows = windows.map(\.weatherRow)
        let n = rows.count
        return RecordBatch(
            schema: gold[tableIndex].schema,
            columns: [
                ColumnData.strings(n) { stationIDs[Int(rows[$0].stationIndex)] },
                ColumnData.strings(n) { rows[$0].weatherCity },
                ColumnData(values: .int64(rows.map(\.windowStart))),
                ColumnData(values: .int64(rows.map(\.windowEnd))),
                ColumnData(values: .double(rows.map(\.avgTempC))),
                ColumnData(values: .double(rows.map(\.sumPrecipMM))),
                ColumnData(values: .double(rows.map(\.avgHumidity))),
                ColumnData(values: .double(rows.map(\.avgWindKPH))),
                ColumnData(values: .double(rows.map(\.avgPressureMB))),
                ColumnData(values: .int32(rows.map(\.dt))),
            ], rowCount: n)
    }

    public func observe(
        _ rows: SilverWeatherColumns, closed: [[ClosedWindow<WeatherWindowAggregate>]], in activity: StationActivity
    ) {
        activity.recordWeather(rows)
        activity.recordWeatherHours(closed[0].map(\.weatherRow))
    }
}
