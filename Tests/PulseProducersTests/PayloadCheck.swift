import Foundation
import PulseCore
import PulseProducers

/// An independent strict validator for the tests: Foundation's JSONSerialization and
/// ISO8601DateFormatter plus the Silver rules of ARCHITECTURE.md. Returns the parsed object when
/// the payload is acceptable, else a reason.
enum PayloadCheck {
    enum FieldType { case string, int, double }

    static let bikeShape: [(String, FieldType)] = [
        ("bike_city", .string), ("station_id", .string), ("docks_total", .int), ("bikes_available", .int),
        ("bikes_occupied", .int), ("docks_available", .int), ("event_time", .string),
    ]
    static let weatherShape: [(String, FieldType)] = [
        ("station_id", .string), ("weather_city", .string), ("temp_c", .double), ("precip_mm", .double),
        ("humidity", .int), ("wind_kph", .double), ("pressure_mb", .int), ("condition", .string),
        ("event_time", .string),
    ]

    static func validate(_ value: [UInt8], kind: EventKind) -> Result<[String: Any], Reason> {
        let shape = kind == .bike ? bikeShape : weatherShape
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(value), options: [.fragmentsAllowed])
        else { return .failure(.badJSON) }
        guard let object = parsed as? [String: Any] else { return .failure(.notAnObject) }
        for (name, type) in shape {
            guard let field = object[name] else { return .failure(.missingField(name)) }
            switch type {
            case .string:
                guard field is String else { return .failure(.wrongType(name)) }
            case .int:
                guard let n = field as? NSNumber, !(field is String) else { return .failure(.wrongType(name)) }
                if String(cString: n.objCType) == "d" || n.doubleValue != n.doubleValue.rounded() {
                    return .failure(.notAnInteger(name))
                }
            case .double:
                guard field as? NSNumber != nil, !(field is String) else { return .failure(.wrongType(name)) }
            }
        }
        guard let id = object["station_id"] as? String, StationCatalogue.standard.index(ofID: id) != nil else {
            return .failure(.unknownStation)
        }
        let formatter = ISO8601DateFormatter()
        guard let time = object["event_time"] as? String, formatter.date(from: time) != nil else {
            return .failure(.badTime)
        }
        if kind == .bike {
            let docks = (object["docks_total"] as! NSNumber).intValue
            let counts = ["bikes_available", "bikes_occupied", "docks_available"].map {
                (object[$0] as! NSNumber).intValue
            }
            if docks < 0 || counts.contains(where: { $0 < 0 }) || counts[0] > docks || counts[1] > docks {
                return .failure(.outOfRange)
            }
        }
        return .success(object)
    }

    enum Reason: Error, Equatable {
        case badJSON, notAnObject, missingField(String), wrongType(String), notAnInteger(String)
        case unknownStation, badTime, outOfRange
    }

    /// The reason a good strict validator gives for each kind of injected corruption.
    static func matches(_ reason: Reason, _ kind: BadRecordKind) -> Bool {
        switch (reason, kind) {
        case (.badJSON, .truncatedJSON), (.notAnObject, .notAnObject), (.missingField, .missingField),
            (.wrongType, .wrongType), (.unknownStation, .unknownStation), (.badTime, .unparsableTime),
            (.notAnInteger, .floatForInt), (.outOfRange, .bikesOutOfRange):
            return true
        default:
            return false
        }
    }
}
