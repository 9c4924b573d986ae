/// A JSON document as the Delta log needs it: objects keep their key order (so what we write reads like
/// delta-rs output and round-trips byte for byte), integers stay exact 64-bit values.
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// The member named `key` of an object, or nil.
    package subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first(where: { $0.key == key })?.value
    }

    package var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    package var int64Value: Int64? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value.rounded() == value && abs(value) < 9.2e18: return Int64(value)
        default: return nil
        }
    }

    package var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    package var isNull: Bool { self == .null }

    /// A `[String: String]` map (nulls dropped); nil when this is not an object.
    package var stringMap: [String: String]? {
        guard case .object(let members) = self else { return nil }
        var map: [String: String] = [:]
        for member in members {
            if case .string(let text) = member.value { map[member.key] = text }
        }
        return map
    }
}

/// One key/value pair of a JSON object, in document order.
package struct JSONMember: Sendable, Equatable {
    package var key: String
    package var value: JSONValue

    package init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

extension JSONValue {
    /// An object from ordered pairs, leaving out pairs whose value is nil.
    package static func members(_ pairs: [(String, JSONValue?)]) -> JSONValue {
        .object(pairs.compactMap { key, value in value.map { JSONMember(key, $0) } })
    }

    /// A string-to-string map with keys sorted, so output is deterministic.
    package static func stringMap(_ map: [String: String]) -> JSONValue {
        .object(map.keys.sorted().map { JSONMember($0, .string(map[$0]!)) })
    }

    /// A string-to-optional-string map with keys in the given order (nil values written as null).
    package static func optionalStringMap(_ map: [String: String?], order: [String]) -> JSONValue {
        var keys = order.filter { map.keys.contains($0) }
        keys += map.keys.filter { !order.contains($0) }.sorted()
        return .object(keys.map { key in JSONMember(key, map[key]!.map { .string($0) } ?? .null) })
    }
}
