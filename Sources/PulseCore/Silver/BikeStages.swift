/// Silver and Gold of the bike topic: `silver/bike_events`, `gold/bike_minute`, `gold/bike_usage_hourly|_daily`.
public struct BikeStages: SourceStages {
    public typealias Aggregate = BikeWindowAggregate
    public let source = "bike"
    public let silver = TableSchemas.silverBike
    public let gold = [TableSchemas.goldBikeMinute, TableSchemas.goldBikeUsage("hour"), TableSchemas.goldBikeUsage("day")]
    private var parser: BikeRecordParser
    /// The second half of a batch, parsed on another thread (`Columns.parseEach`).
    private var tailRows = SilverBikeColumns()
    private let stationIDs: [String]

    public init(catalogue: StationCatalogue = .standard) {
        stationIDs = catalogue.stations.map(\.id)
        parser = BikeRecordParser(stations: stationIDs)
    }

    public func makeRows() -> SilverBikeColumns { SilverBikeColumns() }

    public mutating func parse(
        _ records: KafkaRecordBatch, into rows: inout SilverBikeColumns, recordRow: inout [Int32],
        rejects: inout [(row: Int32, reason: String)]
    ) {
        Columns.parseEach(
            records, into: &rows, tail: &tailRows, parser: parser, recordRow: &recordRow, rejects: &rejects
        ) { parser, value, rows in
            parser.parse(value, into: &rows)
        }
    }

    public func silverBatch(_ rows: SilverBikeColumns, keep: [Int]?) -> RecordBatch {
        RecordBatch(
            schema: silver.schema,
            columns: [
                Columns.gather(data: rows.stationID.data, offsets: rows.stationID.offsets, keep: keep),
                Columns.gather(data: rows.bikeCity.data, offsets: rows.bikeCity.offsets, keep: keep),
                ColumnData(values: .int32(Columns.rows(rows.docksTotal, keep))),
                ColumnData(values: .int32(Columns.rows(rows.bikesAvailable, keep))),
                ColumnData(values: .int32(Columns.rows(rows.bikesOccupied, keep))),
                ColumnData(values: .int32(Columns.rows(rows.docksAvailable, keep))),
                ColumnData(values: .int64(Columns.rows(rows.eventTime, keep))),
                ColumnData(values: .int32(Columns.rows(rows.dt, keep))),
                Columns.optionalDoubles(rows.availabilityRate, valid: rows.ratesValid, keep: keep),
                Columns.optionalDoubles(rows.utilizationRate, valid: rows.ratesValid, keep: keep),
            ], rowCount: keep?.count ?? rows.count)
    }

    public func goldBatch(tableIndex: Int, windows: [ClosedWindow<BikeWindowAggregate>]) -> RecordBatch {
        let n = windows.count
        if tableIndex == 0 {
            let rows = windows.map(\.minuteRow)
            return RecordBatch(
                schema: gold[0].schema,
                columns: [
                    Columns.strings(n) { stationIDs[Int(rows[$0].stationIndex)] },
                    Columns.strings(n) { rows[$0].bikeCity },
                    ColumnData(values: .int64(rows.map(\.windowStart))),
                    ColumnData(values: .int64(rows.map(\.windowEnd))),
                    ColumnData(values: .int32(rows.map(\.bikesAvailable))),
                    ColumnData(values: .int32(rows.map(\.bikesOccupied))),
                    ColumnData(values: .int32(rows.map(\.docksTotal))),
                    ColumnData(values: .int32(rows.map(\.dt))),
                ], rowCount: n)
        }
        let rows = windows.map(\.usageRow)
        return RecordBatch(
            schema: gold[tableIndex].schema,
            columns: [
                Columns.strings(n) { stationIDs[Int(rows[$0].stationIndex)] },
                Columns.strings(n) { rows[$0].bikeCity },
                ColumnData(values: .int64(rows.map(\.windowStart))),
                ColumnData(values: .int64(rows.map(\.windowEnd))),
                ColumnData(values: .int64(rows.map(\.bikesOccupiedSum))),
                ColumnData(values: .double(rows.map(\.bikesAvailableAvg))),
                Columns.optionalDoubles(rows.map(\.availabilityRateAvg)),
                Columns.optionalDoubles(rows.map(\.utilizationRateAvg)),
                ColumnData(values: .int32(rows.map(\.docksTotal))),
                ColumnData(values: .int32(rows.map(\.dt))),
            ], rowCount: n)
    }

    public func observe(
        _ rows: SilverBikeColumns, closed: [[ClosedWindow<BikeWindowAggregate>]], in activity: StationActivity
    ) {
        activity.recordBikes(rows)
        activity.recordBikeMinutes(closed[0].map(\.minuteRow))
        activity.recordBikeHours(closed[1].map(\.usageRow))
    }
}
