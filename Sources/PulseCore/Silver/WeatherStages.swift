/// Silver and Gold of the weather topic: `silver/weather_events`, `gold/weather_hourly|_daily`.
public struct WeatherStages: SourceStages {
    public typealias Aggregate = WeatherWindowAggregate
    public let source = "weather"
    public let silver = TableSchemas.silverWeather
    public let gold = [TableSchemas.goldWeather("hour"), TableSchemas.goldWeather("day")]
    private var parser: WeatherRecordParser
    /// The second half of a batch, parsed on another thread (`Columns.parseEach`).
    private var tailRows = SilverWeatherColumns()
    private let stationIDs: [String]

    public init(catalogue: StationCatalogue = .standard) {
        stationIDs = catalogue.stations.map(\.id)
        parser = WeatherRecordParser(stations: stationIDs)
    }

    public func makeRows() -> SilverWeatherColumns { SilverWeatherColumns() }

    public mutating func parse(
        _ records: KafkaRecordBatch, into rows: inout SilverWeatherColumns, recordRow: inout [Int32],
        rejects: inout [(row: Int32, reason: String)]
    ) {
        Columns.parseEach(
            records, into: &rows, tail: &tailRows, parser: parser, recordRow: &recordRow, rejects: &rejects
        ) { parser, value, rows in
            parser.parse(value, into: &rows)
        }
    }

    public func silverBatch(_ rows: SilverWeatherColumns, keep: [Int]?) -> RecordBatch {
        RecordBatch(
            schema: silver.schema,
            columns: [
                Columns.gather(data: rows.stationID.data, offsets: rows.stationID.offsets, keep: keep),
                Columns.gather(data: rows.weatherCity.data, offsets: rows.weatherCity.offsets, keep: keep),
                ColumnData(values: .double(Columns.rows(rows.tempC, keep))),
                ColumnData(values: .double(Columns.rows(rows.precipMM, keep))),
                ColumnData(values: .int32(Columns.rows(rows.humidity, keep))),
                ColumnData(values: .double(Columns.rows(rows.windKPH, keep))),
                ColumnData(values: .int32(Columns.rows(rows.pressureMB, keep))),
                Columns.gather(data: rows.condition.data, offsets: rows.condition.offsets, keep: keep),
                ColumnData(values: .int64(Columns.rows(rows.eventTime, keep))),
                ColumnData(values: .int32(Columns.rows(rows.dt, keep))),
            ], rowCount: keep?.count ?? rows.count)
    }

    public func goldBatch(tableIndex: Int, windows: [ClosedWindow<WeatherWindowAggregate>]) -> RecordBatch {
        let rows = windows.map(\.weatherRow)
        let n = rows.count
        return RecordBatch(
            schema: gold[tableIndex].schema,
            columns: [
                Columns.strings(n) { stationIDs[Int(rows[$0].stationIndex)] },
                Columns.strings(n) { rows[$0].weatherCity },
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
