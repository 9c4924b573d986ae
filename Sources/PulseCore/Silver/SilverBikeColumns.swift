/// One batch of `silver/bike_events` rows (`SilverColumns`). `ratesValid[i]` is false when
/// docks_total <= 0: then availability_rate and utilization_rate are null (their slots hold 0).
public struct SilverBikeColumns: SilverColumns {
    /// Index of the row's station in the catalogue.
    public internal(set) var stationIndex: [Int32] = []
    public internal(set) var stationID = ByteArrayColumn()
    public internal(set) var bikeCity = ByteArrayColumn()
    public internal(set) var docksTotal: [Int32] = []
    public internal(set) var bikesAvailable: [Int32] = []
    public internal(set) var bikesOccupied: [Int32] = []
    public internal(set) var docksAvailable: [Int32] = []
    /// Microseconds since the epoch, UTC.
    public internal(set) var eventTime: [Int64] = []
    /// Days since 1970-01-01 of event_time (UTC).
    public internal(set) var dt: [Int32] = []
    public internal(set) var availabilityRate: [Double] = []
    public internal(set) var utilizationRate: [Double] = []
    public internal(set) var ratesValid: [Bool] = []

    /// Empty columns; call `reserveCapacity` before a batch.
    public init() {}

    public static let buffers: [SilverBuffer<Self>] = [
        .int32s(\.stationIndex), .strings(\.stationID, bytesPerRow: 4), .strings(\.bikeCity, bytesPerRow: 12),
        .int32s(\.docksTotal), .int32s(\.bikesAvailable), .int32s(\.bikesOccupied), .int32s(\.docksAvailable),
        .int64s(\.eventTime), .int32s(\.dt), .doubles(\.availabilityRate), .doubles(\.utilizationRate),
        .flags(\.ratesValid),
    ]

    /// In `TableSchemas.silverBike` order.
    public static let table: [SilverTableColumn<Self>] = [
        .strings(\.stationID), .strings(\.bikeCity), .int32s(\.docksTotal), .int32s(\.bikesAvailable),
        .int32s(\.bikesOccupied), .int32s(\.docksAvailable), .int64s(\.eventTime), .int32s(\.dt),
        .nullableDoubles(\.availabilityRate, valid: \.ratesValid),
        .nullableDoubles(\.utilizationRate, valid: \.ratesValid),
    ]

    /// availability_rate of row `row`, nil when null.
    public func availabilityRate(at row: Int) -> Double? { ratesValid[row] ? availabilityRate[row] : nil }

    /// utilization_rate of row `row`, nil when null.
    public func utilizationRate(at row: Int) -> Double? { ratesValid[row] ? utilizationRate[row] : nil }
}
