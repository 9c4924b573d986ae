/// Partial aggregate of weather rows in one (station, window): what gold/weather_hourly and
/// gold/weather_daily are computed from. Sums run in offset order.
public struct WeatherWindowAggregate: WindowAggregate {
    public static let windowSizes: [WindowSize] = [.hour, .day]
    public static let stateTag: UInt8 = 2

    public private(set) var rowCount: Int64
    public private(set) var sumTempC: Double
    public private(set) var sumPrecipMM: Double
    public private(set) var sumHumidity: Int64
    public private(set) var sumWindKPH: Double
    public private(set) var sumPressureMB: Int64
    /// weather_city of the window's first row.
    public private(set) var weatherCity: String

    /// Opens a window with its first on-time row.
    public init(row: Int, of rows: SilverWeatherColumns) {
        rowCount = 0
        sumTempC = 0
        sumPrecipMM = 0
        sumHumidity = 0
        sumWindKPH = 0
        sumPressureMB = 0
        weatherCity = rows.weatherCity[row]
        add(row: row, of: rows)
    }

    /// Adds the next on-time row of the window (offset order).
    @inline(__always)
    public mutating func add(row: Int, of rows: SilverWeatherColumns) {
        rowCount += 1
        sumTempC += rows.tempC[row]
        sumPrecipMM += rows.precipMM[row]
        sumHumidity += Int64(rows.humidity[row])
        sumWindKPH += rows.windKPH[row]
        sumPressureMB += Int64(rows.pressureMB[row])
    }

    /// Appends the aggregate to a window state file.
    public func write(to writer: inout WindowStateWriter) {
        writer.write(rowCount)
        writer.write(sumTempC)
        writer.write(sumPrecipMM)
        writer.write(sumHumidity)
        writer.write(sumWindKPH)
        writer.write(sumPressureMB)
        writer.write(weatherCity)
    }

    /// Reads an aggregate written by `write(to:)`.
    public init(from reader: inout WindowStateReader) throws(PipelineError) {
        rowCount = try reader.read()
        sumTempC = try reader.readDouble()
        sumPrecipMM = try reader.readDouble()
        sumHumidity = try reader.read()
        sumWindKPH = try reader.readDouble()
        sumPressureMB = try reader.read()
        weatherCity = try reader.readString()
        let bound = rowCount &* (1 << 31)
        guard rowCount > 0, rowCount < 1 << 32, sumHumidity.magnitude <= bound, sumPressureMB.magnitude <= bound,
            sumTempC.isFinite, sumPrecipMM.isFinite, sumWindKPH.isFinite
        else {
            throw PipelineError(.corruptWindowState, "weather window with \(rowCount) rows and inconsistent sums")
        }
    }
}

/// A row of gold/weather_hourly or gold/weather_daily (by `size`).
public struct WeatherWindowRow: Sendable, Equatable {
    public let size: WindowSize
    public let stationIndex: Int32
    public let weatherCity: String
    public let windowStart: Int64
    public let windowEnd: Int64
    public let avgTempC: Double
    public let sumPrecipMM: Double
    public let avgHumidity: Double
    public let avgWindKPH: Double
    public let avgPressureMB: Double
    /// Date of window_end.
    public let dt: Int32
}

extension ClosedWindow where Aggregate == WeatherWindowAggregate {
    /// The gold/weather_hourly or _daily row of this window.
    public var weatherRow: WeatherWindowRow {
        let a = aggregate
        let n = Double(a.rowCount)
        return WeatherWindowRow(
            size: size, stationIndex: stationIndex, weatherCity: a.weatherCity, windowStart: windowStart,
            windowEnd: windowEnd, avgTempC: a.sumTempC / n, sumPrecipMM: a.sumPrecipMM,
            avgHumidity: Double(a.sumHumidity) / n, avgWindKPH: a.sumWindKPH / n,
            avgPressureMB: Double(a.sumPressureMB) / n, dt: dt)
    }
}
