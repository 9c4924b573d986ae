import Foundation

@testable import PulseCore

/// A fresh directory under /tmp, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init(_ label: String = "delta") {
        var template = Array("/tmp/pulse-\(label)-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(created != nil, "mkdtemp failed")
        path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// The schema most tests use: every column type, partitioned by dt and station_id.
let allTypesSchema = DeltaSchema([
    DeltaField("station_id", .string),
    DeltaField("city", .string),
    DeltaField("bikes", .integer),
    DeltaField("offset", .long),
    DeltaField("rate", .double),
    DeltaField("event_time", .timestamp),
    DeltaField("dt", .date),
    DeltaField("ok", .boolean),
])

/// Rows for `allTypesSchema`; `nil` cells are nulls.
struct Row {
    var station: String
    var city: String?
    var bikes: Int32?
    var offset: Int64
    var rate: Double?
    var eventTime: Int64?
    var day: Int32
    var ok: Bool?
}

func makeBatch(_ rows: [Row], schema: DeltaSchema = allTypesSchema) -> RecordBatch {
    func optionalLevels<T>(_ values: [T?]) -> [UInt8]? {
        values.contains(where: { $0 == nil }) ? values.map { $0 == nil ? 0 : 1 } : nil
    }
    var station = ByteArrayColumn()
    for row in rows { station.append(row.station) }
    var city = ByteArrayColumn()
    for row in rows { if let value = row.city { city.append(value) } }
    let columns = [
        ColumnData(values: .byteArray(station)),
        ColumnData(values: .byteArray(city), definitionLevels: optionalLevels(rows.map(\.city))),
        ColumnData(values: .int32(rows.compactMap(\.bikes)), definitionLevels: optionalLevels(rows.map(\.bikes))),
        ColumnData(values: .int64(rows.map(\.offset))),
        ColumnData(values: .double(rows.compactMap(\.rate)), definitionLevels: optionalLevels(rows.map(\.rate))),
        ColumnData(
            values: .int64(rows.compactMap(\.eventTime)), definitionLevels: optionalLevels(rows.map(\.eventTime))),
        ColumnData(values: .int32(rows.map(\.day))),
        ColumnData(values: .boolean(rows.compactMap(\.ok)), definitionLevels: optionalLevels(rows.map(\.ok))),
    ]
    return RecordBatch(schema: schema, columns: columns, rowCount: rows.count)
}

/// 2025-08-20 as days since the epoch.
let day20 = Int32(CivilDate(year: 2025, month: 8, day: 20).daysSinceEpoch)
/// 2025-08-20T12:00:00Z in microseconds.
let noon20: Int64 = Int64(day20) * 86_400_000_000 + 12 * 3_600_000_000
