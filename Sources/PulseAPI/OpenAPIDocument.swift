import PulseCore

/// `/openapi.json`: OpenAPI 3.0 for the whole read API, built from the same `Endpoint` list and table
/// schemas that serve it, so the document cannot drift from the responses (schemathesis checks both).
enum OpenAPIDocument {
    static let document: JSONValue = build()

    static func build() -> JSONValue {
        var paths: [JSONMember] = [
            JSONMember(
                "/health",
                operation(
                    "Liveness, and whether the lakehouse answers (degraded: data is stale)", parameters: [],
                    response: object(
                        ["status": string(enumValues: ["ok", "degraded"]), "lakehouse": string()],
                        optional: ["stale_since": string(format: "date-time"), "last_error": string()]))),
            JSONMember(
                "/tables",
                operation(
                    "Every table: version, files, rows, bytes, partitioning, progress; and the recorded gaps",
                    parameters: [], response: .object([JSONMember("type", .string("object"))]))),
            JSONMember(
                "/stations",
                operation(
                    "Each station's latest state, as the dashboard shows it", parameters: [],
                    response: .object([
                        JSONMember("type", .string("array")),
                        JSONMember(
                            "items",
                            object(
                                [
                                    "station_id": string(), "city": string(), "docks_total": integer(),
                                    "bikes_available": integer(nullable: true), "bikes_in_use": integer(nullable: true),
                                    "utilization": number(nullable: true),
                                    "last_event_time": string(format: "date-time", nullable: true),
                                    "weather": .object([
                                        JSONMember("type", .string("object")), JSONMember("nullable", .bool(true)),
                                    ]),
                                ], optional: [:])),
                    ]))),
            JSONMember(
                "/metrics",
                .object([
                    JSONMember(
                        "get",
                        .object([
                            JSONMember("summary", .string("Prometheus metrics (text exposition format)")),
                            JSONMember(
                                "responses",
                                .object([
                                    JSONMember(
                                        "200",
                                        .object([
                                            JSONMember("description", .string("Prometheus text")),
                                            JSONMember(
                                                "content",
                                                .object([
                                                    JSONMember(
                                                        "text/plain",
                                                        .object([
                                                            JSONMember(
                                                                "schema",
                                                                .object([JSONMember("type", .string("string"))]))
                                                        ]))
                                                ])),
                                        ]))
                                ])),
                        ]))
                ])),
        ]
        for endpoint in Endpoint.all {
            let schema = TableSchemas.all.first { $0.path == endpoint.table }!.schema
            var properties: [String: JSONValue] = [:]
            for field in endpoint.fields {
                let column = schema.fields.first { $0.name == field.column }!
                properties[field.name] = type(of: column)
            }
            paths.append(
                JSONMember(
                    endpoint.path,
                    operation(
                        endpoint.summary + ", newest first",
                        parameters: [
                            .object([
                                JSONMember("name", .string("station_id")), JSONMember("in", .string("query")),
                                JSONMember("required", .bool(false)),
                                JSONMember("schema", .object([JSONMember("type", .string("string"))])),
                            ]),
                            .object([
                                JSONMember("name", .string("limit")), JSONMember("in", .string("query")),
                                JSONMember("required", .bool(false)),
                                JSONMember(
                                    "schema",
                                    .object([
                                        JSONMember("type", .string("integer")),
                                        JSONMember("minimum", .int(1)),
                                        JSONMember("maximum", .int(Int64(endpoint.maxLimit))),
                                        JSONMember("default", .int(Int64(endpoint.defaultLimit))),
                                    ])),
                            ]),
                        ],
                        response: .object([
                            JSONMember("type", .string("array")),
                            JSONMember("items", object(properties, optional: [:])),
                        ]), validates: true)))
        }
        return .object([
            JSONMember("openapi", .string("3.0.3")),
            JSONMember(
                "info",
                .object([
                    JSONMember("title", .string("City Mobility Pulse API")), JSONMember("version", .string("1.0.0")),
                    JSONMember(
                        "description",
                        .string(
                            "Read-only endpoints over the pulse-tui lakehouse (the original stack's FastAPI endpoints, "
                                + "plus daily Gold, quarantine, tables, stations and metrics).")),
                ])),
            JSONMember("paths", .object(paths)),
            JSONMember(
                "components",
                .object([
                    JSONMember(
                        "schemas",
                        .object([
                            JSONMember(
                                "ValidationError",
                                object(
                                    [
                                        "detail": .object([
                                            JSONMember("type", .string("array")),
                                            JSONMember(
                                                "items",
                                                object(
                                                    [
                                                        "type": string(), "msg": string(), "input": string(),
                                                        "loc": .object([
                                                            JSONMember("type", .string("array")),
                                                            JSONMember("items", string()),
                                                        ]),
                                                    ], optional: [:])),
                                        ])
                                    ], optional: [:])),
                            JSONMember("Unavailable", object(["detail": string()], optional: [:])),
                        ]))
                ])),
        ])
    }

    static func operation(_ summary: String, parameters: [JSONValue], response: JSONValue, validates: Bool = false)
        -> JSONValue
    {
        var responses = [
            JSONMember(
                "200",
                .object([
                    JSONMember("description", .string("OK")),
                    JSONMember(
                        "content", .object([JSONMember("application/json", .object([JSONMember("schema", response)]))])),
                ]))
        ]
        if validates {
            responses.append(
                JSONMember(
                    "422",
                    .object([
                        JSONMember("description", .string("A parameter out of range or not a number")),
                        JSONMember(
                            "content",
                            .object([
                                JSONMember(
                                    "application/json",
                                    .object([
                                        JSONMember(
                                            "schema",
                                            .object([
                                                JSONMember("$ref", .string("#/components/schemas/ValidationError"))
                                            ]))
                                    ]))
                            ])),
                    ])))
            responses.append(
                JSONMember(
                    "503",
                    .object([
                        JSONMember("description", .string("The table cannot be read now (the store is failing)")),
                        JSONMember(
                            "content",
                            .object([
                                JSONMember(
                                    "application/json",
                                    .object([
                                        JSONMember(
                                            "schema",
                                            .object([JSONMember("$ref", .string("#/components/schemas/Unavailable"))]))
                                    ]))
                            ])),
                    ])))
        }
        return .object([
            JSONMember(
                "get",
                .object([
                    JSONMember("summary", .string(summary)),
                    JSONMember("parameters", .array(parameters)),
                    JSONMember("responses", .object(responses)),
                ]))
        ])
    }

    static func object(_ required: [String: JSONValue], optional: [String: JSONValue]) -> JSONValue {
        let all = required.merging(optional) { a, _ in a }
        return .object([
            JSONMember("type", .string("object")),
            JSONMember("required", .array(required.keys.sorted().map { .string($0) })),
            JSONMember("properties", .object(all.keys.sorted().map { JSONMember($0, all[$0]!) })),
        ])
    }

    static func type(of field: DeltaField) -> JSONValue {
        switch field.type {
        case .string, .binary: return string(nullable: field.nullable)
        case .integer, .long: return integer(nullable: field.nullable)
        case .double: return number(nullable: field.nullable)
        case .boolean:
            return .object([JSONMember("type", .string("boolean")), JSONMember("nullable", .bool(field.nullable))])
        case .timestamp: return string(format: "date-time", nullable: field.nullable)
        case .date: return string(format: "date", nullable: field.nullable)
        }
    }

    static func string(format: String? = nil, nullable: Bool = false, enumValues: [String]? = nil) -> JSONValue {
        var members = [JSONMember("type", .string("string"))]
        if let format { members.append(JSONMember("format", .string(format))) }
        if let enumValues { members.append(JSONMember("enum", .array(enumValues.map { .string($0) }))) }
        if nullable { members.append(JSONMember("nullable", .bool(true))) }
        return .object(members)
    }

    static func integer(nullable: Bool = false) -> JSONValue {
        .object([JSONMember("type", .string("integer"))] + (nullable ? [JSONMember("nullable", .bool(true))] : []))
    }

    static func number(nullable: Bool = false) -> JSONValue {
        .object([JSONMember("type", .string("number"))] + (nullable ? [JSONMember("nullable", .bool(true))] : []))
    }
}
