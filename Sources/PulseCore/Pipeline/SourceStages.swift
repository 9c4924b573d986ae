/// What differs between the bike and the weather pipeline: how Silver parses a record, which columns
/// Silver and Gold write. The micro-batch driver (`TopicPipeline`) is the same for both.
public protocol SourceStages {
    associatedtype Aggregate: WindowAggregate

    /// "bike" or "weather": names the tables.
    var source: String { get }
    var silver: TableDefinition { get }
    /// Gold tables in the order of `Aggregate.windowSizes`.
    var gold: [TableDefinition] { get }

    /// Clears `rows`, then parses every record of `records` (batch order): accepted ones become rows of
    /// `rows` with `recordRow[i]` their record's row; rejected ones are listed with the rule they broke.
    mutating func parse(
        _ records: KafkaRecordBatch, into rows: inout Aggregate.Rows, recordRow: inout [Int32],
        rejects: inout [(row: Int32, reason: String)])

    /// Silver columns of the given rows.
    func silverBatch(_ rows: Aggregate.Rows, keep: [Int]) -> RecordBatch

    /// Gold columns of closed windows, all of size `Aggregate.windowSizes[tableIndex]`.
    func goldBatch(tableIndex: Int, windows: [ClosedWindow<Aggregate>]) -> RecordBatch

    /// An empty rows buffer.
    func makeRows() -> Aggregate.Rows

    /// Shows a batch's Silver rows and closed Gold windows (per Gold table) on the dashboard.
    func observe(_ rows: Aggregate.Rows, closed: [[ClosedWindow<Aggregate>]], in activity: StationActivity)
}

/// Column constructors shared by the stages: dense arrays in, `ColumnData` out.
enum Columns {
    /// Runs `parse` on every record value in batch order, noting which record each accepted row came
    /// from and why each rejected record was rejected.
    static func parseEach<Rows: SilverRowsBuffer>(
        _ records: KafkaRecordBatch, into rows: inout Rows, recordRow: inout [Int32],
        rejects: inout [(row: Int32, reason: String)],
        parse: (UnsafeRawBufferPointer, inout Rows) -> RejectReason?
    ) {
        rows.removeAll()
        rows.reserveCapacity(records.count)
        recordRow.removeAll(keepingCapacity: true)
        rejects.removeAll(keepingCapacity: true)
        records.values.data.withUnsafeBytes { data in
            for row in 0..<records.count {
                let value = UnsafeRawBufferPointer(
                    rebasing: data[Int(records.values.offsets[row])..<Int(records.values.offsets[row + 1])])
                if let reason = parse(value, &rows) {
                    rejects.append((Int32(row), reason.description))
                } else {
                    recordRow.append(Int32(row))
                }
            }
        }
    }

    static func strings(_ count: Int, _ value: (Int) -> String) -> ColumnData {
        var column = ByteArrayColumn(reservingValues: count, bytes: count * 8)
        for i in 0..<count { column.append(value(i)) }
        return ColumnData(values: .byteArray(column))
    }

    /// Rows `keep` of a contiguous string column (data + offsets).
    static func gather(data: [UInt8], offsets: [Int32], keep: [Int]) -> ColumnData {
        var column = ByteArrayColumn(reservingValues: keep.count, bytes: keep.count * 8)
        data.withUnsafeBytes { bytes in
            for row in keep {
                column.append(UnsafeRawBufferPointer(rebasing: bytes[Int(offsets[row])..<Int(offsets[row + 1])]))
            }
        }
        return ColumnData(values: .byteArray(column))
    }

    /// A nullable double column: definition level 1 where present.
    static func optionalDoubles(_ values: [Double?]) -> ColumnData {
        ColumnData(
            values: .double(values.compactMap { $0 }),
            definitionLevels: values.contains(nil) ? values.map { $0 == nil ? 0 : 1 } : nil, repetitionLevels: nil)
    }
}

/// The Silver column builders' buffer operations, so both sources share one parse loop.
protocol SilverRowsBuffer {
    mutating func removeAll()
    mutating func reserveCapacity(_ rows: Int)
}

extension SilverBikeColumns: SilverRowsBuffer {}
extension SilverWeatherColumns: SilverRowsBuffer {}
