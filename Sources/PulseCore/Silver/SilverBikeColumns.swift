/// One batch of `silver/bike_events` rows, column by column, ready for the Parquet writer and
/// for Gold. Row i of every array is the same record. `ratesValid[i]` is false when
/// docks_total <= 0: then availability_rate and utilization_rate are null (their slots hold 0).
public struct SilverBikeColumns: Sendable {
    /// Index of the row's station in the parser's catalogue.
    public internal(set) var stationIndex: [Int32] = []
    public internal(set) var stationID = StringColumn()
    public internal(set) var bikeCity = StringColumn()
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

    /// Number of rows.
    public var count: Int { eventTime.count }

    /// Room for `rows` more rows without reallocating.
    public mutating func reserveCapacity(_ rows: Int) {
        let total = count + rows
        stationIndex.reserveCapacity(total)
        stationID.reserveCapacity(rows: rows, bytesPerRow: 4)
        bikeCity.reserveCapacity(rows: rows, bytesPerRow: 12)
        docksTotal.reserveCapacity(total)
        bikesAvailable.reserveCapacity(total)
        bikesOccupied.reserveCapacity(total)
        docksAvailable.reserveCapacity(total)
        eventTime.reserveCapacity(total)
        dt.reserveCapacity(total)
        availabilityRate.reserveCapacity(total)
        utilizationRate.reserveCapacity(total)
        ratesValid.reserveCapacity(total)
    }

    /// Appends every row of `other` after this batch's rows.
    public mutating func append(contentsOf other: Self) {
        stationIndex.append(contentsOf: other.stationIndex)
        stationID.append(contentsOf: other.stationID)
        bikeCity.append(contentsOf: other.bikeCity)
        docksTotal.append(contentsOf: other.docksTotal)
        bikesAvailable.append(contentsOf: other.bikesAvailable)
        bikesOccupied.append(contentsOf: other.bikesOccupied)
        docksAvailable.append(contentsOf: other.docksAvailable)
        eventTime.append(contentsOf: other.eventTime)
        dt.append(contentsOf: other.dt)
        availabilityRate.append(contentsOf: other.availabilityRate)
        utilizationRate.append(contentsOf: other.utilizationRate)
        ratesValid.append(contentsOf: other.ratesValid)
    }

    /// Empties every column, keeping memory for the next batch.
    public mutating func removeAll() {
        stationIndex.removeAll(keepingCapacity: true)
        stationID.removeAll()
        bikeCity.removeAll()
        docksTotal.removeAll(keepingCapacity: true)
        bikesAvailable.removeAll(keepingCapacity: true)
        bikesOccupied.removeAll(keepingCapacity: true)
        docksAvailable.removeAll(keepingCapacity: true)
        eventTime.removeAll(keepingCapacity: true)
        dt.removeAll(keepingCapacity: true)
        availabilityRate.removeAll(keepingCapacity: true)
        utilizationRate.removeAll(keepingCapacity: true)
        ratesValid.removeAll(keepingCapacity: true)
    }

    /// availability_rate of row `row`, nil when null.
    public func availabilityRate(at row: Int) -> Double? { ratesValid[row] ? availabilityRate[row] : nil }

    /// utilization_rate of row `row`, nil when null.
    public func utilizationRate(at row: Int) -> Double? { ratesValid[row] ? utilizationRate[row] : nil }
}
