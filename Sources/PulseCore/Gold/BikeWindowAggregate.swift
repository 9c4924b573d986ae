/// Partial aggregate of bike rows in one (station, window): what gold/bike_minute and
/// gold/bike_usage_hourly/_daily are computed from. Sums run in offset order.
public struct BikeWindowAggregate: WindowAggregate {
    public static let windowSizes: [WindowSize] = [.minute, .hour, .day]
    public static let stateTag: UInt8 = 1

    public private(set) var rowCount: Int64
    public private(set) var sumBikesAvailable: Int64
    public private(set) var sumBikesOccupied: Int64
    public private(set) var maxDocksTotal: Int32
    public private(set) var sumAvailabilityRate: Double
    public private(set) var availabilityRateCount: Int64
    public private(set) var sumUtilizationRate: Double
    public private(set) var utilizationRateCount: Int64
    /// bike_city of the window's first row.
    public private(set) var bikeCity: String

    /// Opens a window with its first on-time row.
    public init(row: Int, of rows: SilverBikeColumns) {
        rowCount = 0
        sumBikesAvailable = 0
        sumBikesOccupied = 0
        maxDocksTotal = Int32.min
        sumAvailabilityRate = 0
        availabilityRateCount = 0
        sumUtilizationRate = 0
        utilizationRateCount = 0
        bikeCity = rows.bikeCity[row]
        add(row: row, of: rows)
    }

    /// Adds the next on-time row of the window (offset order).
    @inline(__always)
    public mutating func add(row: Int, of rows: SilverBikeColumns) {
        rowCount += 1
        sumBikesAvailable += Int64(rows.bikesAvailable[row])
        sumBikesOccupied += Int64(rows.bikesOccupied[row])
        maxDocksTotal = max(maxDocksTotal, rows.docksTotal[row])
        if rows.ratesValid[row] {
            sumAvailabilityRate += rows.availabilityRate[row]
            availabilityRateCount += 1
            sumUtilizationRate += rows.utilizationRate[row]
            utilizationRateCount += 1
        }
    }

    /// Mean rounded half up (Spark's `round`), exact on the integer sum; counts are >= 0.
    static func roundedMean(_ sum: Int64, _ count: Int64) -> Int32 {
        Int32(truncatingIfNeeded: (2 * sum + count) / (2 * count))
    }

    /// Appends the aggregate to a window state file.
    public func write(to writer: inout WindowStateWriter) {
        writer.write(rowCount)
        writer.write(sumBikesAvailable)
        writer.write(sumBikesOccupied)
        writer.write(maxDocksTotal)
        writer.write(sumAvailabilityRate)
        writer.write(availabilityRateCount)
        writer.write(sumUtilizationRate)
        writer.write(utilizationRateCount)
        writer.write(bikeCity)
    }

    /// Reads an aggregate written by `write(to:)`.
    public init(from reader: inout WindowStateReader) throws(PipelineError) {
        rowCount = try reader.read()
        sumBikesAvailable = try reader.read()
        sumBikesOccupied = try reader.read()
        maxDocksTotal = try reader.read()
        sumAvailabilityRate = try reader.readDouble()
        availabilityRateCount = try reader.read()
        sumUtilizationRate = try reader.readDouble()
        utilizationRateCount = try reader.read()
        bikeCity = try reader.readString()
        // Bounds any window Silver's rows can build (counts within int32 per row), so a damaged file cannot
        // make later sums or means overflow (`roundedMean` doubles the sum: rows stay below 2^31).
        let bound = rowCount &* (1 << 31)
        guard rowCount > 0, rowCount < 1 << 31, availabilityRateCount >= 0, availabilityRateCount <= rowCount,
            utilizationRateCount >= 0, utilizationRateCount <= rowCount, sumBikesAvailable.magnitude <= bound,
            sumBikesOccupied.magnitude <= bound, sumAvailabilityRate.isFinite, sumUtilizationRate.isFinite
        else {
            throw PipelineError(
                .corruptWindowState, "bike window with \(rowCount) rows and inconsistent counts or sums")
        }
    }
}

/// A row of gold/bike_minute (station_id is `stations[stationIndex]` of the Silver catalogue).
public struct BikeMinuteRow: Sendable, Equatable {
    public let stationIndex: Int32
    public let bikeCity: String
    public let windowStart: Int64
    public let windowEnd: Int64
    /// Rounded mean.
    public let bikesAvailable: Int32
    /// Rounded mean.
    public let bikesOccupied: Int32
    /// Max.
    public let docksTotal: Int32
    /// Date of window_start.
    public let dt: Int32
}

/// A row of gold/bike_usage_hourly or gold/bike_usage_daily (by `size`).
public struct BikeUsageRow: Sendable, Equatable {
    public let size: WindowSize
    public let stationIndex: Int32
    public let bikeCity: String
    public let windowStart: Int64
    public let windowEnd: Int64
    /// bikes_occupied_hour|_day: sum.
    public let bikesOccupiedSum: Int64
    public let bikesAvailableAvg: Double
    /// Mean over rows whose rate is not null; nil when all are null.
    public let availabilityRateAvg: Double?
    public let utilizationRateAvg: Double?
    public let docksTotal: Int32
    /// Date of window_end.
    public let dt: Int32
}

extension ClosedWindow where Aggregate == BikeWindowAggregate {
    /// The gold/bike_minute row of a minute window.
    public var minuteRow: BikeMinuteRow {
        BikeMinuteRow(
            stationIndex: stationIndex, bikeCity: aggregate.bikeCity, windowStart: windowStart, windowEnd: windowEnd,
            bikesAvailable: BikeWindowAggregate.roundedMean(aggregate.sumBikesAvailable, aggregate.rowCount),
            bikesOccupied: BikeWindowAggregate.roundedMean(aggregate.sumBikesOccupied, aggregate.rowCount),
            docksTotal: aggregate.maxDocksTotal, dt: dt)
    }

    /// The gold/bike_usage_hourly or _daily row of an hour or day window.
    public var usageRow: BikeUsageRow {
        let a = aggregate
        return BikeUsageRow(
            size: size, stationIndex: stationIndex, bikeCity: a.bikeCity, windowStart: windowStart,
            windowEnd: windowEnd,
            bikesOccupiedSum: a.sumBikesOccupied,
            bikesAvailableAvg: Double(a.sumBikesAvailable) / Double(a.rowCount),
            availabilityRateAvg: a.availabilityRateCount > 0
                ? a.sumAvailabilityRate / Double(a.availabilityRateCount) : nil,
            utilizationRateAvg: a.utilizationRateCount > 0
                ? a.sumUtilizationRate / Double(a.utilizationRateCount) : nil,
            docksTotal: a.maxDocksTotal, dt: dt)
    }
}
