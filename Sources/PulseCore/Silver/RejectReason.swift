/// Why Silver sent a record to quarantine. `description` is the `reason` column: it names the
/// rule broken and the field, so a user can find the producer bug; `rule` is a stable short
/// code for counting rejects by kind.
public enum RejectReason: Error, Sendable, Equatable, CustomStringConvertible {
    /// The record has no value (a Kafka tombstone).
    case tombstone
    /// The record's key or value ("key", "value") is not well-formed UTF-8; Bronze keeps its bytes.
    case notUTF8(field: String)
    /// The value is not one valid JSON text.
    case notJSON(JSONSyntaxError)
    /// Valid JSON whose top-level value is not an object.
    case notAnObject(found: JSONValueKind)
    /// A field of the record shape appears twice.
    case duplicateField(String)
    /// A field of the record shape is absent.
    case missingField(String)
    /// A field holds the wrong JSON type (`expected` is "integer", "number" or "string").
    case wrongType(field: String, expected: String, found: String)
    /// An integer field outside Int32.
    case integerOutOfRange(field: String)
    /// A number field whose value is too large for a Double.
    case numberOutOfRange(field: String)
    /// station_id is not in the catalogue (the value, cut to 40 bytes).
    case unknownStation(String)
    /// event_time is not an RFC 3339 timestamp with `Z` or an offset (the value, cut to 40 bytes).
    case unparsableEventTime(String)
    /// A bike count below zero.
    case negativeCount(field: String, value: Int32)
    /// bikes_available or bikes_occupied above docks_total.
    case countAboveDocksTotal(field: String, value: Int32, docksTotal: Int32)
    /// A well-typed value outside the field's plausible range (`Plausibility`), as text.
    case implausible(field: String, value: String, range: String)

    public var description: String {
        switch self {
        case .tombstone: return "tombstone: the record has no value"
        case .notUTF8(let field): return "\(field) is not valid UTF-8 (its bytes are in bronze \(field)_bytes)"
        case .notJSON(let error): return "not JSON: \(error)"
        case .notAnObject(let found): return "not an object: found \(found)"
        case .duplicateField(let field): return "duplicate field \(field)"
        case .missingField(let field): return "missing field \(field)"
        case .wrongType(let field, let expected, let found):
            return "wrong type \(field): expected \(expected), found \(found)"
        case .integerOutOfRange(let field): return "integer out of range \(field): must fit int32"
        case .numberOutOfRange(let field): return "number out of range \(field): must fit a double"
        case .unknownStation(let id): return "unknown station \(id)"
        case .unparsableEventTime(let text): return "unparsable event_time \(text): expected RFC 3339 with Z or offset"
        case .negativeCount(let field, let value): return "negative count \(field): \(value)"
        case .countAboveDocksTotal(let field, let value, let docks):
            return "\(field) out of range 0...docks_total: \(value) > \(docks)"
        case .implausible(let field, let value, let range):
            return "implausible \(field) \(value): outside \(range)"
        }
    }

    /// Stable identifier of the rule broken (metrics, tests).
    public var rule: String {
        switch self {
        case .tombstone: return "tombstone"
        case .notUTF8: return "not_utf8"
        case .notJSON: return "not_json"
        case .notAnObject: return "not_object"
        case .duplicateField: return "duplicate_field"
        case .missingField: return "missing_field"
        case .wrongType: return "wrong_type"
        case .integerOutOfRange: return "integer_out_of_range"
        case .numberOutOfRange: return "number_out_of_range"
        case .unknownStation: return "unknown_station"
        case .unparsableEventTime: return "unparsable_event_time"
        case .negativeCount: return "negative_count"
        case .countAboveDocksTotal: return "count_above_docks_total"
        case .implausible(let field, _, _): return "implausible_\(field)"
        }
    }

    /// A string value as it appears in a reason: decoded, invalid UTF-8 repaired, at most 40 bytes.
    static func quoted(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let cut = bytes.count > 40 ? UnsafeBufferPointer(rebasing: bytes[0..<40]) : bytes
        return "\"" + String(decoding: cut, as: UTF8.self) + (bytes.count > 40 ? "...\"" : "\"")
    }
}
