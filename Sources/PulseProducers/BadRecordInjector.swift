import PulseCore

/// Replaces a share of records with malformed ones (`--bad-records SHARE`), cycling through the
/// kinds that apply to the stream, so Silver's quarantine sees every kind of bad input.
///
/// Off (share 0) by default. Seeded: the same seed picks the same records and corruptions.
public struct BadRecordInjector: Sendable {
    /// Share of records replaced, in [0, 1] (values outside are clamped; NaN counts as 0).
    public let share: Double
    var rng: SeededRandom
    var cycle: [Int] = [0, 0]

    /// An injector replacing `share` of the records.
    public init(share: Double = 0, seed: UInt64) {
        self.share = share.isNaN ? 0 : min(1, max(0, share))
        self.rng = SeededRandom(seed: seed, stream: 0xBAD)
    }

    /// Draws whether the next record is replaced; nil keeps it. One draw per record.
    mutating func nextKind(for stream: EventKind) -> BadRecordKind? {
        guard share > 0, rng.nextUnit() < share else { return nil }
        let kinds = BadRecordKind.kinds(for: stream)
        let slot = stream == .bike ? 0 : 1
        let kind = kinds[cycle[slot] % kinds.count]
        cycle[slot] += 1
        return kind
    }

    /// The bad stand-in for `event` if this record is chosen, else nil.
    public mutating func corrupt(_ event: BikeEvent) -> (value: [UInt8], kind: BadRecordKind)? {
        guard let kind = nextKind(for: .bike) else { return nil }
        return (malformed(event, kind: kind), kind)
    }

    /// The bad stand-in for `event` if this record is chosen, else nil.
    public mutating func corrupt(_ event: WeatherEvent) -> (value: [UInt8], kind: BadRecordKind)? {
        guard let kind = nextKind(for: .weather) else { return nil }
        return (malformed(event, kind: kind), kind)
    }

    /// `event` serialized with corruption `kind`.
    public mutating func malformed(_ event: BikeEvent, kind: BadRecordKind) -> [UInt8] {
        var fields: [(String, FieldValue)] = [
            ("bike_city", .string(event.bikeCity)), ("station_id", .string(event.stationID)),
            ("docks_total", .int(event.docksTotal)), ("bikes_available", .int(event.bikesAvailable)),
            ("bikes_occupied", .int(event.bikesOccupied)), ("docks_available", .int(event.docksAvailable)),
            ("event_time", .string(EventTime.format(micros: event.eventTimeMicros))),
        ]
        if kind == .bikesOutOfRange {
            let excess = rng.nextInt(in: 1...5)
            let available = rng.nextUnit() < 0.5 ? event.docksTotal + excess : -excess
            fields[3].1 = .int(available)
            fields[4].1 = .int(event.docksTotal - available)
            fields[5].1 = .int(available)
            return FieldValue.object(fields)
        }
        return corrupt(fields, kind: kind, good: event.json(), stream: .bike)
    }

    /// `event` serialized with corruption `kind` (`bikesOutOfRange` does not apply: it is
    /// written as `floatForInt`).
    public mutating func malformed(_ event: WeatherEvent, kind: BadRecordKind) -> [UInt8] {
        let fields: [(String, FieldValue)] = [
            ("station_id", .string(event.stationID)), ("weather_city", .string(event.weatherCity)),
            ("temp_c", .double(event.tempC)), ("precip_mm", .double(event.precipMm)),
            ("humidity", .int(event.humidity)), ("wind_kph", .double(event.windKph)),
            ("pressure_mb", .int(event.pressureMb)), ("condition", .string(event.condition)),
            ("event_time", .string(EventTime.format(micros: event.eventTimeMicros))),
        ]
        return corrupt(
            fields, kind: kind == .bikesOutOfRange ? .floatForInt : kind, good: event.json(), stream: .weather)
    }

    mutating func corrupt(_ original: [(String, FieldValue)], kind: BadRecordKind, good: [UInt8], stream: EventKind)
        -> [UInt8]
    {
        var fields = original
        switch kind {
        case .truncatedJSON:
            let cut = min(good.count - 1, rng.nextInt(in: 3...15))
            return Array(good.dropLast(cut))
        case .notAnObject:
            let choices = ["[]", "null", "42", stream == .bike ? "\"bike\"" : "\"weather\""]
            let pick = rng.nextInt(below: choices.count + 1)
            if pick == choices.count {
                var out: [UInt8] = [UInt8(ascii: "[")]
                for (i, field) in fields.enumerated() {
                    if i > 0 { JSONBytes.appendLiteral(", ", to: &out) }
                    field.1.append(to: &out)
                }
                out.append(UInt8(ascii: "]"))
                return out
            }
            return Array(choices[pick].utf8)
        case .missingField:
            fields.remove(at: rng.nextInt(below: fields.count))
        case .wrongType:
            let numeric = fields.indices.filter { fields[$0].1.isNumber }
            if rng.nextUnit() < 0.25 {
                let id = fields.firstIndex { $0.0 == "station_id" }!
                fields[id].1 = .int(rng.nextInt(in: 1...30))
            } else {
                let i = numeric[rng.nextInt(below: numeric.count)]
                fields[i].1 = rng.nextUnit() < 0.5 ? .string(fields[i].1.text) : .string("n/a")
            }
        case .unknownStation:
            let id = fields.firstIndex { $0.0 == "station_id" }!
            fields[id].1 = .string(["S999", "S000", "S031", "X001"][rng.nextInt(below: 4)])
        case .unparsableTime:
            let time = fields.firstIndex { $0.0 == "event_time" }!
            let choices = ["yesterday afternoon", "2025-13-45T25:61:00Z", "1724194800", "20/08/2025 23:00", ""]
            fields[time].1 = .string(choices[rng.nextInt(below: choices.count)])
        case .floatForInt, .bikesOutOfRange:
            let ints = fields.indices.filter {
                if case .int = fields[$0].1 { return true } else { return false }
            }
            let i = ints[rng.nextInt(below: ints.count)]
            if case .int(let v) = fields[i].1 { fields[i].1 = .double(Double(v) + 0.5) }
        }
        return FieldValue.object(fields)
    }
}

/// A JSON value of a bad record's fields (off the hot path; allocation is fine here).
enum FieldValue {
    case string(String)
    case int(Int)
    case double(Double)

    var isNumber: Bool {
        if case .string = self { return false }
        return true
    }

    /// The value as it would appear in JSON, without quotes.
    var text: String {
        var out: [UInt8] = []
        switch self {
        case .string(let s): return s
        case .int(let v): JSONBytes.appendInt(v, to: &out)
        case .double(let v): JSONBytes.appendOneDecimal(v, to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    func append(to out: inout [UInt8]) {
        switch self {
        case .string(let s): JSONBytes.appendString(s, to: &out)
        case .int(let v): JSONBytes.appendInt(v, to: &out)
        case .double(let v): JSONBytes.appendOneDecimal(v, to: &out)
        }
    }

    /// `{"k": v, ...}` in Python's json.dumps layout.
    static func object(_ fields: [(String, FieldValue)]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (i, (name, value)) in fields.enumerated() {
            if i > 0 { JSONBytes.appendLiteral(", ", to: &out) }
            JSONBytes.appendString(name, to: &out)
            JSONBytes.appendLiteral(": ", to: &out)
            value.append(to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }
}
