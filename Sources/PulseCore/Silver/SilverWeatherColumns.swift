/// One batch of `silver/weather_events` rows, column by column, for the Parquet writer and Gold.
public struct SilverWeatherColumns: Sendable {
    /// Index of the row's station in the parser's catalogue.
    public internal(set) var stationIndex: [Int32] = []
    public internal(set) var stationID = StringColumn()
    public internal(set) var weatherCity = StringColumn()
    public internal(set) var tempC: [Double] = []
    public internal(set) var precipMM: [Double] = []
    public internal(set) var humidity: [Int32] = []
    public internal(set) var windKPH: [Double] = []
    public internal(set) var pressureMB: [Int32] = []
    public internal(set) var condition = StringColumn()
    /// Microseconds since the epoch, UTC.
    public internal(set) var eventTime: [Int64] = []
    /// Days since 1970-01-01 of event_time (UTC).
    public internal(set) var dt: [Int32] = []

    /// Empty columns; call `reserveCapacity` before a batch.
    public init() {}

    /// Number of rows.
    public var count: Int { eventTime.count }

    /// Room for `rows` more rows without reallocating.
    public mutating func reserveCapacity(_ rows: Int) {
        let total = count + rows
        stationIndex.reserveCapacity(total)
        stationID.reserveCapacity(rows: rows, bytesPerRow: 4)
        weatherCity.reserveCapacity(rows: rows, bytesPerRow: 12)
        tempC.reserveCapacity(total)
        precipMM.reserveCapacity(total)
        humidity.reserveCapacity(total)
        windKPH.reserveCapacity(total)
        pressureMB.reserveCapacity(total)
        condition.reserveCapacity(rows: rows, bytesPerRow: 8)
        eventTime.reserveCapacity(total)
        dt.reserveCapacity(total)
    }

    /// Appends every row of `other` after this batch's rows.
    public mutating func append(contentsOf other: Self) {
        stationIndex.append(contentsOf: other.stationIndex)
        stationID.append(contentsOf: other.stationID)
        weatherCity.append(contentsOf: other.weatherCity)
        tempC.append(contentsOf: other.tempC)
        precipMM.append(contentsOf: other.precipMM)
        humidity.append(contentsOf: other.humidity)
        windKPH.append(contentsOf: other.windKPH)
        pressureMB.append(contentsOf: other.pressureMB)
        condition.append(contentsOf: other.condition)
        eventTime.append(contentsOf: other.eventTime)
        dt.append(contentsOf: other.dt)
    }

    /// Empties every column, keeping memory for the next batch.
    public mutating func removeAll() {
        stationIndex.removeAll(keepingCapacity: true)
        stationID.removeAll()
        weatherCity.removeAll()
        tempC.removeAll(keepingCapacity: true)
        precipMM.removeAll(keepingCapacity: true)
        humidity.removeAll(keepingCapacity: true)
        windKPH.removeAll(keepingCapacity: true)
        pressureMB.removeAll(keepingCapacity: true)
        condition.removeAll()
        eventTime.removeAll(keepingCapacity: true)
        dt.removeAll(keepingCapacity: true)
    }
}
