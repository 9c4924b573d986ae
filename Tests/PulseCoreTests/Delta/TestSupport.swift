import Foundation
import Synchronization
import Testing

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

/// Sets the modification time of the file behind `key` (milliseconds since the epoch), as if it had been
/// written then: vacuum and log cleanup judge ages by it.
func setModified(_ directory: TemporaryDirectory, _ key: String, _ millis: Int64) throws {
    try FileManager.default.setAttributes(
        [.modificationDate: Date(timeIntervalSince1970: Double(millis) / 1000)],
        ofItemAtPath: directory.path + "/" + key)
}

/// A batch of one row on 2025-08-20 (one data file when partitioned by dt).
func oneRow(_ offset: Int) -> RecordBatch {
    makeBatch([
        Row(
            station: "S001", city: "Boston", bikes: 1, offset: Int64(offset), rate: 0.5, eventTime: noon20, day: day20,
            ok: true)
    ])
}

/// Commits a metaData action that sets the table property `key` to `value`.
func setTableProperty(_ table: DeltaTable, _ key: String, _ value: String) throws {
    let base = try #require(try table.snapshot())
    var metadata = base.metadata
    metadata.configuration[key] = value
    _ = try table.log.commit(
        [
            .commitInfo(CommitInfoAction(operation: "SET TBLPROPERTIES", txnId: UUIDString.random())),
            .metadata(metadata),
        ], base: base)
}

/// A millisecond wall clock tests move by hand.
final class TestClock: Sendable {
    private let value: Mutex<Int64>
    init(_ start: Int64) { value = Mutex(start) }
    var now: Int64 { value.withLock { $0 } }
    func advance(by millis: Int64) { value.withLock { $0 += millis } }
}
