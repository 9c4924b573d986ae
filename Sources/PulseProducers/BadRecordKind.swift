import PulseCore

/// The kinds of malformed input `--bad-records` sends, so quarantine is exercised on each.
public enum BadRecordKind: String, Sendable, Hashable, CaseIterable {
    /// JSON cut short (3-15 bytes removed from the end).
    case truncatedJSON = "truncated_json"
    /// Valid JSON that is not an object: `[]`, `null`, `42`, `"bike"`, an array of the values.
    case notAnObject = "not_an_object"
    /// One field of the shape left out.
    case missingField = "missing_field"
    /// A number sent as a string ("12") or a string field sent as a number.
    case wrongType = "wrong_type"
    /// A station_id outside the catalogue (S999, S000, S031, X001).
    case unknownStation = "unknown_station"
    /// An event_time no ISO-8601 parser with a zone accepts.
    case unparsableTime = "unparsable_time"
    /// A fractional number where an integer is required (docks_total 28.5).
    case floatForInt = "float_for_int"
    /// Bike counts outside 0...docks_total (bike stream only).
    case bikesOutOfRange = "bikes_out_of_range"

    /// The kinds that apply to a stream, in the order the injector cycles through them.
    public static func kinds(for stream: EventKind) -> [BadRecordKind] {
        stream == .bike ? allCases : allCases.filter { $0 != .bikesOutOfRange }
    }
}
