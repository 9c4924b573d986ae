/// Silver for the bike topic: turns one Kafka record value into a `silver/bike_events` row
/// appended to `SilverBikeColumns`, or the reason it goes to quarantine.
///
/// Rules, checked in this order (the first broken one is the reason): valid JSON; an object;
/// no known field twice; each field present with its type, in `fieldNames` order; station_id in
/// the catalogue; event_time parsable (`EventTimeParser`); every count >= 0 (docks_total,
/// bikes_available, bikes_occupied, docks_available); bikes_available <= docks_total;
/// bikes_occupied <= docks_total; event_time and docks_total within `Plausibility`. Derived: availability_rate = bikes_available / docks_total and
/// utilization_rate = bikes_occupied / docks_total, both null when docks_total <= 0.
public struct BikeRecordParser: Sendable {
    /// The bike shape, in the order producers write it.
    public static let fieldNames = [
        "bike_city", "station_id", "docks_total", "bikes_available", "bikes_occupied", "docks_available", "event_time",
    ]
    static let bikeCity = 0, stationID = 1, docksTotal = 2, bikesAvailable = 3, bikesOccupied = 4
    static let docksAvailable = 5, eventTime = 6

    var scanner = JSONRecordScanner(fieldNames: BikeRecordParser.fieldNames)
    /// The catalogue station_id is checked against; row station indexes refer to it.
    public let stations: StationLookup

    /// - Parameter stations: the station catalogue; row `stationIndex` values index into it.
    public init(stations: [String]) {
        self.stations = StationLookup(stationIDs: stations)
    }

    /// Parses `value`; appends one row to `columns` and returns nil when Silver accepts it,
    /// otherwise leaves `columns` unchanged and returns the reason.
    public mutating func parse(_ value: UnsafeRawBufferPointer, into columns: inout SilverBikeColumns) -> RejectReason? {
        switch scanner.scan(value) {
        case .object: break
        case .notJSON(let error): return .notJSON(error)
        case .notAnObject(let kind): return .notAnObject(found: kind)
        case .duplicateField(let field): return .duplicateField(Self.fieldNames[field])
        }
        let base = value.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let stations = self.stations
        return scanner.slots.withUnsafeBufferPointer { slots in
            let reader = SilverFieldReader(base: base, slots: slots, names: Self.fieldNames)
            do throws(RejectReason) {
                let city = try reader.string(Self.bikeCity)
                let station = try reader.string(Self.stationID)
                let docks = try reader.int32(Self.docksTotal)
                let available = try reader.int32(Self.bikesAvailable)
                let occupied = try reader.int32(Self.bikesOccupied)
                let docksFree = try reader.int32(Self.docksAvailable)
                let time = try reader.string(Self.eventTime)
                let stationIndex = try reader.station(station, in: stations)
                let micros = try reader.eventTime(time)
                try Plausibility.checkEventTime(micros)
                if docks < 0 { throw .negativeCount(field: "docks_total", value: docks) }
                try Plausibility.check(docks, in: Plausibility.docksTotal, field: "docks_total")
                if available < 0 { throw .negativeCount(field: "bikes_available", value: available) }
                if occupied < 0 { throw .negativeCount(field: "bikes_occupied", value: occupied) }
                if docksFree < 0 { throw .negativeCount(field: "docks_available", value: docksFree) }
                if available > docks {
                    throw .countAboveDocksTotal(field: "bikes_available", value: available, docksTotal: docks)
                }
                if occupied > docks {
                    throw .countAboveDocksTotal(field: "bikes_occupied", value: occupied, docksTotal: docks)
                }

                columns.stationIndex.append(Int32(truncatingIfNeeded: stationIndex))
                columns.stationID.appendJSONString(base, station)
                columns.bikeCity.appendJSONString(base, city)
                columns.docksTotal.append(docks)
                columns.bikesAvailable.append(available)
                columns.bikesOccupied.append(occupied)
                columns.docksAvailable.append(docksFree)
                columns.eventTime.append(micros)
                columns.dt.append(EventTimeParser.civilDay(micros))
                if docks > 0 {
                    let total = Double(docks)
                    columns.availabilityRate.append(Double(available) / total)
                    columns.utilizationRate.append(Double(occupied) / total)
                    columns.ratesValid.append(true)
                } else {
                    columns.availabilityRate.append(0)
                    columns.utilizationRate.append(0)
                    columns.ratesValid.append(false)
                }
                return nil
            } catch {
                return error
            }
        }
    }
}
