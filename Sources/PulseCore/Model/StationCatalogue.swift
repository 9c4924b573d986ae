/// The fixed set of stations that producers report on and Silver accepts.
///
/// `standard` mirrors the original City Mobility Pulse producers exactly: 30 Massachusetts
/// stations S001 (Boston) ... S030 (Salem), one per city, with the original docks_total and
/// weather baselines. Lookups by id are O(1); `index(ofUTF8:)` is the allocation-free form for
/// the engine's JSON hot path.
public struct StationCatalogue: Sendable {
    /// The stations, in id order; an index into this array is a station's dense index.
    public let stations: [Station]
    /// Distinct city names in first-appearance order; weather is simulated per city.
    public let cities: [String]
    /// For each station index, the index of its city in `cities`.
    public let cityIndexOfStation: [Int]

    @usableFromInline let indexByID: [String: Int]
    /// Each id packed into a UInt64 (little-endian, at most 8 bytes), or 0 when longer.
    @usableFromInline let packedIDs: [UInt64]
    @usableFromInline let idLengths: [Int]
    /// True when station i has id "S" + 3-digit (i + 1): enables the arithmetic fast path.
    @usableFromInline let isDenseSNumbering: Bool

    /// Builds a catalogue; ids must be unique (a later duplicate is ignored by lookups).
    public init(stations: [Station]) {
        self.stations = stations
        var byID: [String: Int] = [:]
        var cities: [String] = []
        var cityIndex: [String: Int] = [:]
        var cityOf: [Int] = []
        var packed: [UInt64] = []
        var lengths: [Int] = []
        var dense = true
        for (i, s) in stations.enumerated() {
            if byID[s.id] == nil { byID[s.id] = i }
            if let c = cityIndex[s.city] {
                cityOf.append(c)
            } else {
                cityIndex[s.city] = cities.count
                cityOf.append(cities.count)
                cities.append(s.city)
            }
            packed.append(Self.pack(s.idUTF8) ?? 0)
            lengths.append(s.idUTF8.count)
            if s.id != Self.denseID(i + 1) { dense = false }
        }
        self.indexByID = byID
        self.cities = cities
        self.cityIndexOfStation = cityOf
        self.packedIDs = packed
        self.idLengths = lengths
        self.isDenseSNumbering = dense && stations.count <= 999
    }

    /// Number of stations.
    @inlinable public var count: Int { stations.count }

    /// The station at a dense index.
    @inlinable public subscript(index: Int) -> Station { stations[index] }

    /// Dense index of the station with this id, or nil when the id is not in the catalogue.
    public func index(ofID id: String) -> Int? { indexByID[id] }

    /// The station with this id, or nil.
    public func station(withID id: String) -> Station? {
        indexByID[id].map { stations[$0] }
    }

    /// Dense index of the station whose id is exactly these UTF-8 bytes (no quotes), or nil.
    ///
    /// Allocation-free; for "S" + 3 digits ids it is a few integer operations.
    @inlinable
    public func index(ofUTF8 bytes: UnsafeRawBufferPointer) -> Int? {
        let n = bytes.count
        if isDenseSNumbering, n == 4, bytes[0] == UInt8(ascii: "S") {
            let d0 = Int(bytes[1]) &- 48
            let d1 = Int(bytes[2]) &- 48
            let d2 = Int(bytes[3]) &- 48
            guard d0 >= 0, d0 <= 9, d1 >= 0, d1 <= 9, d2 >= 0, d2 <= 9 else { return nil }
            let number = d0 * 100 + d1 * 10 + d2
            return number >= 1 && number <= stations.count ? number - 1 : nil
        }
        if n == 0 || n > 8 { return slowIndex(ofUTF8: bytes) }
        var key: UInt64 = 0
        for i in 0..<n { key |= UInt64(bytes[i]) << (UInt64(i) * 8) }
        for i in 0..<packedIDs.count where packedIDs[i] == key && idLengths[i] == n {
            return i
        }
        return nil
    }

    /// `index(ofUTF8:)` for a byte array.
    @inlinable
    public func index(ofUTF8 bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBytes { index(ofUTF8: $0) }
    }

    /// `index(ofUTF8:)` for a slice of a byte array.
    @inlinable
    public func index(ofUTF8 bytes: ArraySlice<UInt8>) -> Int? {
        bytes.withUnsafeBytes { index(ofUTF8: $0) }
    }

    @usableFromInline
    func slowIndex(ofUTF8 bytes: UnsafeRawBufferPointer) -> Int? {
        for (i, s) in stations.enumerated() where s.idUTF8.count == bytes.count {
            if s.idUTF8.withUnsafeBytes({ $0.elementsEqual(bytes) }) { return i }
        }
        return nil
    }

    static func pack(_ bytes: [UInt8]) -> UInt64? {
        guard !bytes.isEmpty, bytes.count <= 8 else { return nil }
        var key: UInt64 = 0
        for (i, b) in bytes.enumerated() { key |= UInt64(b) << (UInt64(i) * 8) }
        return key
    }

    static func denseID(_ number: Int) -> String {
        let digits = String(number)
        return "S" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }
}

extension StationCatalogue {
    /// The original producers' 30 stations, docks_total and weather baselines.
    public static let standard = StationCatalogue(
        stations: standardRows.map {
            Station(
                id: $0.0, city: $0.1, docksTotal: $0.2,
                weatherBaseline: WeatherBaseline(tempC: $0.3, windKph: $0.4, humidity: $0.5, pressureMb: $0.6))
        })

    // (id, city, docks_total, temp_c, wind_kph, humidity, pressure_mb): producer_bike.py CITY_CFG
    // and producer_weather.py BASELINES of the original City Mobility Pulse.
    private static let standardRows: [(String, String, Int, Double, Double, Int, Int)] = [
        ("S001", "Boston", 28, 18.0, 14.0, 70, 1015),
        ("S002", "Cambridge", 24, 17.5, 12.0, 68, 1015),
        ("S003", "Somerville", 20, 17.5, 12.0, 66, 1015),
        ("S004", "Worcester", 26, 16.0, 10.0, 72, 1013),
        ("S005", "Springfield", 22, 17.0, 9.0, 67, 1014),
        ("S006", "Lowell", 20, 17.0, 10.0, 66, 1014),
        ("S007", "Quincy", 18, 17.5, 13.0, 71, 1015),
        ("S008", "Newton", 20, 17.2, 11.0, 67, 1015),
        ("S009", "Brockton", 18, 17.0, 11.0, 69, 1014),
        ("S010", "Lynn", 16, 17.8, 14.0, 73, 1015),
        ("S011", "Fall River", 22, 17.2, 13.0, 74, 1015),
        ("S012", "New Bedford", 22, 17.0, 14.0, 75, 1015),
        ("S013", "Framingham", 18, 16.8, 10.0, 68, 1014),
        ("S014", "Waltham", 18, 16.9, 10.0, 67, 1015),
        ("S015", "Haverhill", 16, 16.6, 10.0, 66, 1014),
        ("S016", "Malden", 16, 17.2, 12.0, 69, 1015),
        ("S017", "Medford", 18, 17.1, 11.0, 68, 1015),
        ("S018", "Taunton", 16, 16.9, 11.0, 70, 1015),
        ("S019", "Chicopee", 16, 16.5, 9.0, 67, 1014),
        ("S020", "Everett", 14, 17.2, 12.0, 70, 1015),
        ("S021", "Revere", 16, 17.8, 15.0, 74, 1015),
        ("S022", "Peabody", 16, 17.0, 12.0, 69, 1015),
        ("S023", "Arlington", 14, 16.9, 11.0, 68, 1015),
        ("S024", "Attleboro", 14, 16.8, 11.0, 69, 1015),
        ("S025", "Methuen", 14, 16.5, 10.0, 66, 1014),
        ("S026", "Barnstable", 12, 17.0, 17.0, 76, 1016),
        ("S027", "Pittsfield", 12, 15.0, 9.0, 72, 1012),
        ("S028", "Leominster", 12, 16.2, 9.0, 68, 1013),
        ("S029", "Westfield", 12, 16.4, 9.0, 67, 1014),
        ("S030", "Salem", 16, 17.6, 13.0, 72, 1015),
    ]
}
