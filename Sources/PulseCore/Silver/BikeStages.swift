/// Silver and Gold of the bike topic: `silver/bike_events`, `gold/bike_minute`, `gold/bike_usage_hourly|_daily`.
public struct BikeStages: SourceStages {
    public typealias Aggregate = BikeWindowAggregate
    public let source = "bike"
    public let silver = TableSchemas.silverBike
    public let gold = [
        TableSchemas.goldBikeMinute, TableSchemas.goldBikeUsage("hour"), TableSchemas.goldBikeUsage("day"),
    ]
    public var silverStage: SilverStage<BikeShape>
    private let stationIDs: [String]

    public init(catalogue: StationCatalogue = .standard) {
        stationIDs = catalogue.stations.map(\.id)
        silverStage = SilverStage(catalogue: catalogue)
    }

    public func goldBatch(tableIndex: Int, windows: [ClosedWindow<BikeWindowAggregate>]) -> RecordBatch {
        let n = windows.count
        if tableIndex == 0 {
            let rows = windows.map(\.minuteRow)
            return RecordBatch(
                schema: gold[0].schema,
                columns: [
                    ColumnData.strings(n) { stationIDs[Int(rows[$0].stationIndex)] },
                    ColumnData.strings(n) { rows[$0].bikeCity },
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
                ColumnData.strings(n) { stationIDs[Int(rows[$0].stationIndex)] },
                ColumnData.strings(n) { rows[$0].bikeCity },
                ColumnData(values: .int64(rows.map(\.windowStart))),
                ColumnData(values: .int64(rows.map(\.windowEnd))),
                ColumnData(values: .int64(rows.map(\.bikesOccupiedSum))),
                ColumnData(values: .double(rows.map(\.bikesAvailableAvg))),
                ColumnData.optionalDoubles(rows.map(\.availabilityRateAvg)),
                ColumnData.optionalDoubles(rows.map(\.utilizationRateAvg)),
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
