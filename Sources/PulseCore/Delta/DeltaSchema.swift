/// The Delta primitive types pulse-tui tables use (PROTOCOL.md § Primitive Types).
public enum DeltaType: String, Sendable, Equatable, CaseIterable {
    case string, integer, long, double, timestamp, date, boolean
    /// Raw bytes: Bronze keeps a record's exact key or value here when it is not valid UTF-8.
    case binary
}

/// One column of a table schema.
public struct DeltaField: Sendable, Equatable {
    public var name: String
    public var type: DeltaType
    public var nullable: Bool

    public init(_ name: String, _ type: DeltaType, nullable: Bool = true) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }
}

/// A table schema: the ordered top-level columns, serialised in `metaData.schemaString` as Spark's JSON
/// struct type (PROTOCOL.md § Schema Serialization Format).
public struct DeltaSchema: Sendable, Equatable {
    public var fields: [DeltaField]

    public init(_ fields: [DeltaField]) { self.fields = fields }

    /// Position of the column named `name`, if any.
    public func index(of name: String) -> Int? { fields.firstIndex { $0.name == name } }

    /// The JSON text Delta stores as `schemaString`.
    public var schemaString: String { JSONWriter.encode(jsonValue) }

    package var jsonValue: JSONValue {
        .object([
            JSONMember("type", .string("struct")),
            JSONMember(
                "fields",
                .array(
                    fields.map { field in
                        .object([
                            JSONMember("name", .string(field.name)),
                            JSONMember("type", .string(field.type.rawValue)),
                            JSONMember("nullable", .bool(field.nullable)),
                            JSONMember("metadata", .object([])),
                        ])
                    })),
        ])
    }

    /// Parses a `schemaString`; throws `DeltaError` (`.invalidLog`, or `.unsupportedProtocol` for types
    /// outside `DeltaType`).
    public static func parse(schemaString: String, table: String = "") throws -> DeltaSchema {
        let json: JSONValue
        do { json = try JSONParser.parse(schemaString) } catch {
            throw DeltaError(code: .invalidLog, table: table, message: "schemaString is not JSON: \(error)")
        }
        guard json["type"]?.stringValue == "struct", case .array(let items)? = json["fields"] else {
            throw DeltaError(code: .invalidLog, table: table, message: "schemaString is not a struct type")
        }
        var fields: [DeltaField] = []
        for item in items {
            guard let name = item["name"]?.stringValue else {
                throw DeltaError(code: .invalidLog, table: table, message: "schema field without a name")
            }
            guard let typeName = item["type"]?.stringValue, let type = DeltaType(rawValue: typeName) else {
                throw DeltaError(
                    code: .unsupportedProtocol, table: table,
                    message: "column '\(name)' has type \(item["type"].map(JSONWriter.encode) ?? "?"), "
                        + "supported: \(DeltaType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            fields.append(DeltaField(name, type, nullable: item["nullable"]?.boolValue ?? true))
        }
        return DeltaSchema(fields)
    }
}
