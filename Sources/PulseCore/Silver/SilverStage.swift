import Dispatch

/// Silver's step of a micro-batch for one topic: every record of the batch parsed once by the shape's
/// rules into Silver rows, or listed with the rule it broke (it goes to quarantine).
public struct SilverStage<Shape: SilverShape>: Sendable {
    private var parser: SilverRecordParser<Shape>
    /// The second half of a large batch, parsed on another thread (reused between batches).
    private var tail = Shape.Columns()

    public init(catalogue: StationCatalogue = .standard) {
        parser = SilverRecordParser(catalogue: catalogue)
    }

    /// Clears `rows`, then parses every record of `records` in batch order: accepted ones become rows with
    /// `recordRow[i]` their record's index; rejected ones are listed with the rule they broke. A large
    /// batch is parsed in two halves at once, the second on another thread into `tail` with its own copy of
    /// the parser, then appended: parsing is the longest step before Silver's commit can start.
    public mutating func parse(
        _ records: KafkaRecordBatch, into rows: inout Shape.Columns, recordRow: inout [Int32],
        rejects: inout [(row: Int32, reason: String)]
    ) {
        let split = records.count >= 20_000 ? records.count / 2 : records.count
        rows.removeAll()
        rows.reserveCapacity(records.count)
        recordRow.removeAll(keepingCapacity: true)
        rejects.removeAll(keepingCapacity: true)
        tail.removeAll()
        var tailRecordRow: [Int32] = []
        var tailRejects: [(row: Int32, reason: String)] = []
        let group = DispatchGroup()
        withUnsafeMutablePointer(to: &tail) { tailRows in
            withUnsafeMutablePointer(to: &tailRecordRow) { tailRecordRow in
                withUnsafeMutablePointer(to: &tailRejects) { tailRejects in
                    // Safe: the three tail buffers are touched only by the other thread until `group.wait()`,
                    // which returns before the pointers' scopes end; `records` and the parser copy are values.
                    let tailBuffers = Unchecked((tailRows, tailRecordRow, tailRejects))
                    if split < records.count {
                        DispatchQueue.global().async(group: group) { [parser = self.parser] in
                            var parser = parser
                            let (rows, recordRow, rejects) = tailBuffers.value
                            rows.pointee.reserveCapacity(records.count - split)
                            Self.parse(
                                records, split..<records.count, parser: &parser, into: &rows.pointee,
                                recordRow: &recordRow.pointee, rejects: &rejects.pointee)
                        }
                    }
                    Self.parse(
                        records, 0..<split, parser: &parser, into: &rows, recordRow: &recordRow, rejects: &rejects)
                    group.wait()
                }
            }
        }
        if split < records.count {
            rows.append(contentsOf: tail)
            recordRow.append(contentsOf: tailRecordRow)
            rejects.append(contentsOf: tailRejects)
        }
    }

    private static func parse(
        _ records: KafkaRecordBatch, _ range: Range<Int>, parser: inout SilverRecordParser<Shape>,
        into rows: inout Shape.Columns, recordRow: inout [Int32], rejects: inout [(row: Int32, reason: String)]
    ) {
        records.values.data.withUnsafeBytes { data in
            records.keys.data.withUnsafeBytes { keys in
                for row in range {
                    let value = UnsafeRawBufferPointer(
                        rebasing: data[Int(records.values.offsets[row])..<Int(records.values.offsets[row + 1])])
                    let key = UnsafeRawBufferPointer(
                        rebasing: keys[Int(records.keys.offsets[row])..<Int(records.keys.offsets[row + 1])])
                    if let reason = check(records, row: row, key: key) ?? parser.parse(value, into: &rows) {
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
    private static func check(_ records: KafkaRecordBatch, row: Int, key: UnsafeRawBufferPointer) -> RejectReason? {
        if records.valueIsNull(row) { return .tombstone }
        if !UTF8Validation.isValid(key) { return .notUTF8(field: "key") }
        return nil
    }

    /// The reason text; a value the JSON scanner refused that is not UTF-8 at all says so.
    private static func describe(_ reason: RejectReason, value: UnsafeRawBufferPointer) -> String {
        if case .notJSON = reason, !UTF8Validation.isValid(value) {
            return RejectReason.notUTF8(field: "value").description
        }
        return reason.description
    }
}
