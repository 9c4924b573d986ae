/// One batch of `silver/weather_events` rows (`SilverColumns`).
public struct SilverWeatherColumns: SilverColumns {
    /// Index of the row's station in the catalogue.
    public internal(set) var stationIndex: [Int32] = []
    public internal(set) var stationID = ByteArrayColumn()
    public internal(set) var weatherCity = ByteArrayColumn()
    public internal(set) var tempC: [Double] = []
    public internal(set) var precipMM: [Double] = []
    public internal(set) var humidity: [Int32] = []
    public internal(set) var windKPH: [Double] = []
    public internal(set) var pressureMB: [Int32] = []
    public internal(set) var condition = ByteArrayColumn()
    /// Microseconds since the epoch, UTC.
    public internal(set) var eventTime: [Int64] = []
    /// Days since 1970-01-01 of event_time (UTC).
    public internal(set) var dt: [Int32] = []

    /// Empty columns; call `reserveCapacity` before a batch.
    public init() {}

    public static let buffers: [SilverBuffer<Self>] = [
        .int32s(\.stationIndex), .strings(\.stationID, bytesPerRow: 4), .strings(\.weatherCity, bytesPerRow: 12),
        .doubles(\.tempC), .doubles(\.precipMM), .int32s(\.humidity), .doubles(\.windKPH), .int32s(\.pressureMB),
        .strings(\.condition, bytesPerRow: 8), .int64s(\.eventTime), .int32s(\.dt),
    ]

    /// In `TableSchemas.silverWeather` order.
    public static let table: [SilverTableColumn<Self>] = [
        .strings(\.stationID), .strings(\.weatherCity), .doubles(\.tempC), .doubles(\.precipMM), .int32s(\.humidity),
        .doubles(\.windKPH), .int32s(\.pressureMB), .strings(\.condition), .int64s(\.eventTime), .int32s(\.dt),
    ]
}
