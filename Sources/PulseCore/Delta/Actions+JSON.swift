/// JSON form of actions: one action per line, `{"<kind>":{...}}` (PROTOCOL.md § Actions).
extension DeltaAction {
    /// The action as the JSON object written on its own log line.
    package var jsonValue: JSONValue {
        switch self {
        case .protocol(let action):
            return .object([
                JSONMember(
                    "protocol",
                    .object([
                        JSONMember("minReaderVersion", .int(Int64(action.minReaderVersion))),
                        JSONMember("minWriterVersion", .int(Int64(action.minWriterVersion))),
                    ]))
            ])
        case .metadata(let action):
            return .object([
                JSONMember(
                    "metaData",
                    .members([
                        ("id", .string(action.id)),
                        ("name", action.name.map { .string($0) }),
                        ("description", action.description.map { .string($0) }),
                        (
                            "format",
                            .object([
                                JSONMember("provider", .string(action.formatProvider)),
                                JSONMember("options", .stringMap(action.formatOptions)),
                            ])
                        ),
                        ("schemaString", .string(action.schemaString)),
                        ("partitionColumns", .array(action.partitionColumns.map { .string($0) })),
                        ("createdTime", action.createdTime.map { .int($0) }),
                        ("configuration", .stringMap(action.configuration)),
                    ]))
            ])
        case .add(let action):
            return .object([
                JSONMember(
                    "add",
                    .members([
                        ("path", .string(action.path)),
                        ("partitionValues", .optionalStringMap(action.partitionValues, order: [])),
                        ("size", .int(action.size)),
                        ("modificationTime", .int(action.modificationTime)),
                        ("dataChange", .bool(action.dataChange)),
                        ("stats", action.stats.map { .string($0) }),
                        ("tags", action.tags.map { .stringMap($0) }),
                    ]))
            ])
        case .remove(let action):
            return .object([
                JSONMember(
                    "remove",
                    .members([
                        ("path", .string(action.path)),
                        ("deletionTimestamp", action.deletionTimestamp.map { .int($0) }),
                        ("dataChange", .bool(action.dataChange)),
                        ("extendedFileMetadata", action.extendedFileMetadata.map { .bool($0) }),
                        ("partitionValues", action.partitionValues.map { .optionalStringMap($0, order: []) }),
                        ("size", action.size.map { .int($0) }),
                    ]))
            ])
        case .txn(let action):
            return .object([
                JSONMember(
                    "txn",
                    .members([
                        ("appId", .string(action.appId)),
                        ("version", .int(action.version)),
                        ("lastUpdated", action.lastUpdated.map { .int($0) }),
                    ]))
            ])
        case .commitInfo(let action):
            return .object([
                JSONMember(
                    "commitInfo",
                    .members([
                        ("timestamp", action.timestamp.map { .int($0) }),
                        ("operation", action.operation.map { .string($0) }),
                        ("operationParameters", .stringMap(action.operationParameters)),
                        ("engineInfo", action.engineInfo.map { .string($0) }),
                        ("isBlindAppend", action.isBlindAppend.map { .bool($0) }),
                        ("txnId", action.txnId.map { .string($0) }),
                        ("writer", action.writer.map { .string($0) }),
                    ]))
            ])
        case .other(let name):
            return .object([JSONMember(name, .object([]))])
        }
    }

    /// Decodes one log line's JSON object. Unknown fields are ignored; unknown action kinds become `.other`.
    package init(json: JSONValue) throws {
        guard case .object(let members) = json, let member = members.first(where: { !$0.value.isNull }) else {
            throw ActionDecodingFailure(reason: "a log line must be an object with one action")
        }
        let body = member.value
        func required<T>(_ field: String, _ extract: (JSONValue) -> T?) throws -> T {
            guard let raw = body[field], let value = extract(raw) else {
                throw ActionDecodingFailure(reason: "\(member.key).\(field) is missing or has the wrong type")
            }
            return value
        }
        func optional<T>(_ field: String, _ extract: (JSONValue) -> T?) -> T? {
            body[field].flatMap(extract)
        }
        switch member.key {
        case "protocol":
            self = .protocol(
                ProtocolAction(
                    minReaderVersion: Int32(clamping: try required("minReaderVersion", \.int64Value)),
                    minWriterVersion: Int32(clamping: try required("minWriterVersion", \.int64Value))))
        case "metaData":
            let format = body["format"]
            var partitionColumns: [String] = []
            if case .array(let items)? = body["partitionColumns"] {
                partitionColumns = items.compactMap(\.stringValue)
            }
            self = .metadata(
                MetadataAction(
                    id: try required("id", \.stringValue),
                    name: optional("name", \.stringValue),
                    description: optional("description", \.stringValue),
                    formatProvider: format?["provider"]?.stringValue ?? "parquet",
                    formatOptions: format?["options"]?.stringMap ?? [:],
                    schemaString: try required("schemaString", \.stringValue),
                    partitionColumns: partitionColumns,
                    configuration: optional("configuration", \.stringMap) ?? [:],
                    createdTime: optional("createdTime", \.int64Value)))
        case "add":
            self = .add(
                AddAction(
                    path: try required("path", \.stringValue),
                    partitionValues: optional("partitionValues", DeltaAction.optionalStringMap) ?? [:],
                    size: try required("size", \.int64Value),
                    modificationTime: optional("modificationTime", \.int64Value) ?? 0,
                    dataChange: optional("dataChange", \.boolValue) ?? true,
                    stats: optional("stats", \.stringValue),
                    tags: optional("tags", \.stringMap)))
        case "remove":
            self = .remove(
                RemoveAction(
                    path: try required("path", \.stringValue),
                    deletionTimestamp: optional("deletionTimestamp", \.int64Value),
                    dataChange: optional("dataChange", \.boolValue) ?? true,
                    extendedFileMetadata: optional("extendedFileMetadata", \.boolValue),
                    partitionValues: optional("partitionValues", DeltaAction.optionalStringMap),
                    size: optional("size", \.int64Value)))
        case "txn":
            self = .txn(
                TransactionAction(
                    appId: try required("appId", \.stringValue),
                    version: try required("version", \.int64Value),
                    lastUpdated: optional("lastUpdated", \.int64Value)))
        case "commitInfo":
            var parameters: [String: String] = [:]
            if case .object(let items)? = body["operationParameters"] {
                for item in items {
                    parameters[item.key] = item.value.stringValue ?? JSONWriter.encode(item.value)
                }
            }
            self = .commitInfo(
                CommitInfoAction(
                    timestamp: optional("timestamp", \.int64Value),
                    operation: optional("operation", \.stringValue),
                    operationParameters: parameters,
                    engineInfo: optional("engineInfo", \.stringValue),
                    isBlindAppend: optional("isBlindAppend", \.boolValue),
                    txnId: optional("txnId", \.stringValue), writer: optional("writer", \.stringValue)))
        default:
            self = .other(member.key)
        }
    }

    private static func optionalStringMap(_ json: JSONValue) -> [String: String?]? {
        guard case .object(let members) = json else { return nil }
        var map: [String: String?] = [:]
        for member in members { map[member.key] = .some(member.value.stringValue) }
        return map
    }

    /// The bytes of a commit file: one compact JSON action per line, each line ending in "\n".
    public static func encodeCommit(_ actions: [DeltaAction]) -> [UInt8] {
        var writer = JSONWriter(capacity: 512 * max(actions.count, 1))
        for action in actions {
            writer.write(action.jsonValue)
            writer.appendNewline()
        }
        return writer.bytes
    }

    /// Parses a commit file (newline-delimited JSON; blank lines ignored).
    public static func decodeCommit(_ bytes: [UInt8]) throws -> [DeltaAction] {
        var actions: [DeltaAction] = []
        var start = 0
        var lineNumber = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            lineNumber += 1
            var isBlank = true
            for index in start..<end where bytes[index] != 0x20 && bytes[index] != 0x0D && bytes[index] != 0x09 {
                isBlank = false
                break
            }
            if !isBlank {
                do {
                    actions.append(try DeltaAction(json: try JSONParser.parse(bytes, range: start..<end)))
                } catch let failure as ActionDecodingFailure {
                    throw ActionDecodingFailure(reason: "line \(lineNumber): \(failure.reason)")
                } catch {
                    throw ActionDecodingFailure(reason: "line \(lineNumber): \(error)")
                }
            }
            start = end + 1
        }
        return actions
    }
}

/// Why a log line could not be turned into an action; wrapped into `DeltaError(.invalidLog)` with the file.
package struct ActionDecodingFailure: Error, Sendable, CustomStringConvertible {
    package var reason: String
    package var description: String { reason }
}

extension JSONWriter {
    package mutating func appendNewline() { writeRaw(0x0A) }
}
