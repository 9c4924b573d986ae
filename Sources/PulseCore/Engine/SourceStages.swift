import Dispatch

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

    /// Silver columns of the given rows (nil: every row, sharing the parsed columns without a copy).
    func silverBatch(_ rows: Aggregate.Rows, keep: [Int]?) -> RecordBatch

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
    /// from and why each rejected record was rejected. A large batch is parsed in two halves at once, the
    /// second on another thread into `tail` with its own copy of `parser`, then appended: parsing is the
    /// longest step before Silver's commit can start.
    static func parseEach<Rows: SilverRowsBuffer, Parser>(
        _ records: KafkaRecordBatch, into rows: inout Rows, tail: inout Rows, parser: Parser, recordRow: inout [Int32],
        rejects: inout [(row: Int32, reason: String)],
        parse: (inout Parser, UnsafeRawBufferPointer, inout Rows) -> RejectReason?
    ) {
        let split = records.count >= 20_000 ? records.count / 2 : records.count
        rows.removeAll()
        rows.reserveCapacity(records.count)
        recordRow.removeAll(keepingCapacity: true)
        rejects.removeAll(keepingCapacity: true)
        tail.removeAll()
        var tailRecordRow: [Int32] = []
        var tailRejects: [(row: Int32, reason: String)] = []
        withoutActuallyEscaping(parse) { parse in
            withUnsafeMutablePointer(to: &tail) { tailRows in
                withUnsafeMutablePointer(to: &tailRecordRow) { tailRecordRow in
                    withUnsafeMutablePointer(to: &tailRejects) { tailRejects in
                        // The tail's buffers are touched only by the other thread until `wait`.
                        let shared = Unchecked((tailRows, tailRecordRow, tailRejects, parse, parser))
                        let group = DispatchGroup()
                        if split < records.count {
                            DispatchQueue.global().async(group: group) {
                                var parser = shared.value.4
                                shared.value.0.pointee.reserveCapacity(records.count - split)
                                parseRange(
                                    records, split..<records.count, into: &shared.value.0.pointee,
                                    recordRow: &shared.value.1.pointee, rejects: &shared.value.2.pointee,
                                    parser: &parser, parse: shared.value.3)
                            }
                        }
                        var parser = parser
                        parseRange(
                            records, 0..<split, into: &rows, recordRow: &recordRow, rejects: &rejects, parser: &parser,
                            parse: parse)
                        group.wait()
                    }
                }
            }
        }
        if split < records.count {
            rows.append(contentsOf: tail)
            recordRow.append(contentsOf: tailRecordRow)
            rejects.append(contentsOf: tailRejects)
        }
    }

    private static func parseRange<Rows, Parser>(
        _ records: KafkaRecordBatch, _ range: Range<Int>, into rows: inout Rows, recordRow: inout [Int32],
        rejects: inout [(row: Int32, reason: String)], parser: inout Parser,
        parse: (inout Parser, UnsafeRawBufferPointer, inout Rows) -> RejectReason?
    ) {
        records.values.data.withUnsafeBytes { data in
            records.keys.data.withUnsafeBytes { keys in
                for row in range {
                    let value = UnsafeRawBufferPointer(
                        rebasing: data[Int(records.values.offsets[row])..<Int(records.values.offsets[row + 1])])
                    let key = UnsafeRawBufferPointer(
                        rebasing: keys[Int(records.keys.offsets[row])..<Int(records.keys.offsets[row + 1])])
                    if let reason = check(records, row: row, key: key, value: value) ?? parse(&parser, value, &rows) {
                        rejects.append((Int32(row), describe(reason, value: value)))
                    } else {
                        recordRow.append(Int32(row))
                    }
                }
            }
        }
    }

    /// What rejects a record before its value is parsed: no value at all, or a key that is not UTF-8.
    @inline(__always)
    private static func check(
        _ records: KafkaRecordBatch, row: Int, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer
    ) -> RejectReason? {
        if records.valueIsNull(row) { return .tombstone }
        if !UTF8Validation.isValid(key) { return .notUTF8(field: "key") }
        return nil
    }

    /// The reason text; a value the JSON scanner refused that is not UTF-8 at all says so.
    private static func describe(_ reason: RejectReason, value: UnsafeRawBufferPointer) -> String {
        if case .notJSON = reason, !UTF8Validation.isValid(value) { return RejectReason.notUTF8(field: "value").description }
        return reason.description
    }

    static func strings(_ count: Int, _ value: (Int) -> String) -> ColumnData {
        var column = ByteArrayColumn(reservingValues: count, bytes: count * 8)
        for i in 0..<count { column.append(value(i)) }
        return ColumnData(values: .byteArray(column))
    }

    /// Rows `keep` of a contiguous string column (data + offsets); nil keeps the column as it is.
    static func gather(data: [UInt8], offsets: [Int32], keep: [Int]?) -> ColumnData {
        guard let keep else { return ColumnData(values: .byteArray(ByteArrayColumn(data: data, offsets: offsets))) }
        var column = ByteArrayColumn(reservingValues: keep.count, bytes: keep.count * 8)
        data.withUnsafeBytes { bytes in
            for row in keep {
                column.append(UnsafeRawBufferPointer(rebasing: bytes[Int(offsets[row])..<Int(offsets[row + 1])]))
            }
        }
        return ColumnData(values: .byteArray(column))
    }

    /// Rows `keep` of `values`; nil keeps them all (shared, not copied).
    static func rows<T>(_ values: [T], _ keep: [Int]?) -> [T] {
        guard let keep else { return values }
        return keep.map { values[$0] }
    }

    /// Rows `keep` (nil: all) of a nullable double column given as values plus validity.
    static func optionalDoubles(_ values: [Double], valid: [Bool], keep: [Int]?) -> ColumnData {
        var present: [Double] = []
        var levels: [UInt8] = []
        let n = keep?.count ?? values.count
        present.reserveCapacity(n)
        levels.reserveCapacity(n)
        var nulls = false
        for i in 0..<n {
            let row = keep?[i] ?? i
            if valid[row] {
                present.append(values[row])
                levels.append(1)
            } else {
                levels.append(0)
                nulls = true
            }
        }
        return ColumnData(values: .double(present), definitionLevels: nulls ? levels : nil, repetitionLevels: nil)
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
    mutating func append(contentsOf other: Self)
}

extension SilverBikeColumns: SilverRowsBuffer {}
extension SilverWeatherColumns: SilverRowsBuffer {}
