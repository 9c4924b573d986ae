/// One bike-availability reading, the value of a record on the bike topic.
///
/// Fields and their order are the original producer's payload; as there,
/// `bikesOccupied = docksTotal - bikesAvailable` and `docksAvailable = bikesAvailable`.
public struct BikeEvent: Sendable, Hashable {
    /// `bike_city`.
    public var bikeCity: String
    /// `station_id`, also the Kafka key.
    public var stationID: String
    /// `docks_total`.
    public var docksTotal: Int
    /// `bikes_available`.
    public var bikesAvailable: Int
    /// `bikes_occupied`.
    public var bikesOccupied: Int
    /// `docks_available`.
    public var docksAvailable: Int
    /// `event_time`, as epoch microseconds (written with whole seconds).
    public var eventTimeMicros: Int64

    /// Creates an event with every field given (bad-record injection needs inconsistent ones).
    public init(
        bikeCity: String, stationID: String, docksTotal: Int, bikesAvailable: Int, bikesOccupied: Int,
        docksAvailable: Int, eventTimeMicros: Int64
    ) {
        self.bikeCity = bikeCity
        self.stationID = stationID
        self.docksTotal = docksTotal
        self.bikesAvailable = bikesAvailable
        self.bikesOccupied = bikesOccupied
        self.docksAvailable = docksAvailable
        self.eventTimeMicros = eventTimeMicros
    }

    /// Creates the event a station reports with `bikesAvailable` bikes, deriving the other counts
    /// as the original producer does.
    @inlinable
    public init(station: Station, bikesAvailable: Int, eventTimeMicros: Int64) {
        self.bikeCity = station.city
        self.stationID = station.id
        self.docksTotal = station.docksTotal
        self.bikesAvailable = bikesAvailable
        self.bikesOccupied = station.docksTotal - bikesAvailable
        self.docksAvailable = bikesAvailable
        self.eventTimeMicros = eventTimeMicros
    }

    /// The payload as Python's `json.dumps(payload)` writes it in the original producer.
    @inlinable
    public func json() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(192)
        appendJSON(to: &out)
        return out
    }

    /// Appends the payload to `out` (for callers that reuse one buffer).
    @inlinable
    public func appendJSON(to out: inout [UInt8]) {
        JSONBytes.appendLiteral("{\"bike_city\": ", to: &out)
        JSONBytes.appendString(bikeCity, to: &out)
        JSONBytes.appendLiteral(", \"station_id\": ", to: &out)
        JSONBytes.appendString(stationID, to: &out)
        JSONBytes.appendLiteral(", \"docks_total\": ", to: &out)
        JSONBytes.appendInt(docksTotal, to: &out)
        JSONBytes.appendLiteral(", \"bikes_available\": ", to: &out)
        JSONBytes.appendInt(bikesAvailable, to: &out)
        JSONBytes.appendLiteral(", \"bikes_occupied\": ", to: &out)
        JSONBytes.appendInt(bikesOccupied, to: &out)
        JSONBytes.appendLiteral(", \"docks_available\": ", to: &out)
        JSONBytes.appendInt(docksAvailable, to: &out)
        JSONBytes.appendLiteral(", \"event_time\": \"", to: &out)
        EventTime.append(micros: eventTimeMicros, to: &out)
        JSONBytes.appendLiteral("\"}", to: &out)
    }

    /// Field names in payload order.
    public static let fieldNames = [
        "bike_city", "station_id", "docks_total", "bikes_available", "bikes_occupied", "docks_available",
        "event_time",
    ]
}
