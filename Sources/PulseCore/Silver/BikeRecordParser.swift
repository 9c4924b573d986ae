/// Silver for the bike topic: a record value to a `silver/bike_events` row.
public typealias BikeRecordParser = SilverRecordParser<BikeShape>

/// The bike record's Silver rules, checked in this order (the first broken one is the reason): each
/// field present with its type, in `fieldNames` order; station_id in the catalogue; event_time parsable
/// (`EventTimeParser`) and plausible; every count >= 0 (docks_total, bikes_available, bikes_occupied,
/// docks_available); docks_total plausible; bikes_available <= docks_total; bikes_occupied <= docks_total.
/// Derived: availability_rate = bikes_available / docks_total and utilization_rate = bikes_occupied /
/// docks_total, both null when docks_total <= 0.
public enum BikeShape: SilverShape {
    /// The bike shape, in the order producers write it.
    public static let fieldNames = [
        "bike_city", "station_id", "docks_total", "bikes_available", "bikes_occupied", "docks_available", "event_time",
    ]
    static let bikeCity = 0, stationID = 1, docksTotal = 2, bikesAvailable = 3, bikesOccupied = 4
    static let docksAvailable = 5, eventTime = 6

    @inline(__always)
    public static func read(
        _ reader: SilverFieldReader, catalogue: StationCatalogue, into columns: inout SilverBikeColumns
    )
        throws(RejectReason)
    {
        let city = try reader.string(bikeCity)
        let station = try reader.string(stationID)
        let docks = try reader.int32(docksTotal)
        let available = try reader.int32(bikesAvailable)
        let occupied = try reader.int32(bikesOccupied)
        let docksFree = try reader.int32(docksAvailable)
        let time = try reader.string(eventTime)
        let stationIndex = try reader.station(station, in: catalogue)
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
        columns.stationID.appendJSONString(reader.base, station)
        columns.bikeCity.appendJSONString(reader.base, city)
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
    }
}
