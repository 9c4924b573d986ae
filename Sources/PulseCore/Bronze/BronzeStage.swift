/// Turns the Kafka records of a micro-batch into Bronze rows: the record as Kafka gave it, which broker
/// cluster it came from, and when we ingested it. Column-wise copies of the reader's buffers; no
/// per-record allocation.
///
/// Key and value are string columns, so they hold only well-formed UTF-8 (one bad value makes DuckDB,
/// polars and delta-rs refuse the whole table). A key or value that is not UTF-8 is written there as its
/// text with each ill-formed sequence replaced by U+FFFD, and its exact bytes go to `key_bytes` /
/// `value_bytes` (binary, null for every other record). A record without a key, or a tombstone, reads
/// null in `key` / `value`.
public enum BronzeStage {
    /// Rows for `table` from `records`, keeping only offsets at or above the table's own version of each
    /// partition (`minimumOffset[partition]`), so a replay after a crash writes nothing twice.
    public static func rows(
        of records: KafkaRecordBatch, ingestMicros: Int64, minimumOffset: [Int32: Int64], clusterID: String,
        schema: DeltaSchema
    ) -> RecordBatch {
        let keep = selection(records, minimumOffset: minimumOffset)
        let n = keep?.count ?? records.count
        let day = Int32(EventTime.daysSinceEpoch(micros: ingestMicros))
        let key = TextColumns(records.keys, keep: keep, isNull: { records.keyIsNull($0) })
        let value = TextColumns(records.values, keep: keep, isNull: { records.valueIsNull($0) })
        var columns = [key.text, value.text, constant(records.topic, count: n)]
        if let keep {
            columns += [
                ColumnData(values: .int32(keep.map { records.partitions[$0] })),
                ColumnData(values: .int64(keep.map { records.offsets[$0] })),
                ColumnData(values: .int64(keep.map { records.timestampsMicros[$0] })),
                ColumnData(values: .int32(keep.map { records.timestampTypes[$0] })),
            ]
        } else {
            columns += [
                ColumnData(values: .int32(records.partitions)),
                ColumnData(values: .int64(records.offsets)),
                ColumnData(values: .int64(records.timestampsMicros)),
                ColumnData(values: .int32(records.timestampTypes)),
            ]
        }
        columns += [
            ColumnData(values: .int64(Array(repeating: ingestMicros, count: n))),
            ColumnData(values: .int32(Array(repeating: day, count: n))),
            constant(clusterID, count: n),
            key.bytes,
            value.bytes,
        ]
        return RecordBatch(schema: schema, columns: columns, rowCount: n)
    }

    /// Row indexes to keep, or nil when every row is kept (the common case: no replay).
    static func selection(_ records: KafkaRecordBatch, minimumOffset: [Int32: Int64]) -> [Int]? {
        let committed = CommittedOffsets(minimumOffset)
        if (0..<records.count).allSatisfy({ committed.isNew($0, of: records) }) { return nil }
        return (0..<records.count).filter { committed.isNew($0, of: records) }
    }

    /// `text` repeated `count` times.
    static func constant(_ text: String, count: Int) -> ColumnData {
        let bytes = Array(text.utf8)
        var column = ByteArrayColumn(reservingValues: count, bytes: count * bytes.count)
        bytes.withUnsafeBytes { bytes in
            for _ in 0..<count { column.append(bytes) }
        }
        return ColumnData(values: .byteArray(column))
    }

    static func gather(_ column: ByteArrayColumn, _ rows: [Int]) -> ByteArrayColumn {
        var out = ByteArrayColumn(reservingValues: rows.count, bytes: column.data.count)
        column.data.withUnsafeBytes { data in
            for row in rows {
                let start = Int(column.offsets[row])
                let end = Int(column.offsets[row + 1])
                out.append(UnsafeRawBufferPointer(rebasing: data[start..<end]))
            }
        }
        return out
    }
}

/// A Kafka key or value column as Bronze stores it: the text column (null where Kafka sent none,
/// ill-formed UTF-8 repaired) and the exact-bytes column (set only where the bytes are not UTF-8).
struct TextColumns {
    var text: ColumnData
    var bytes: ColumnData

    init(_ column: ByteArrayColumn, keep: [Int]?, isNull: (Int) -> Bool) {
        let rows = keep?.count ?? column.count
        func row(_ i: Int) -> Int { keep?[i] ?? i }
        // One pass to find the rows that need more than a copy; almost every batch has none.
        var nulls = 0
        var invalid: [Int] = []
        column.data.withUnsafeBytes { data in
            for i in 0..<rows {
                let r = row(i)
                if isNull(r) {
                    nulls += 1
                } else if !UTF8Validation.isValid(
                    UnsafeRawBufferPointer(rebasing: data[Int(column.offsets[r])..<Int(column.offsets[r + 1])]))
                {
                    invalid.append(i)
                }
            }
        }
        let noBytes = ColumnData(
            values: .byteArray(ByteArrayColumn()), definitionLevels: [UInt8](repeating: 0, count: rows))
        if nulls == 0 && invalid.isEmpty {
            text = ColumnData(values: .byteArray(keep.map { BronzeStage.gather(column, $0) } ?? column))
            bytes = noBytes
            return
        }
        var textValues = ByteArrayColumn(reservingValues: rows, bytes: column.data.count)
        var textLevels = [UInt8](repeating: 1, count: rows)
        var rawValues = ByteArrayColumn()
        var rawLevels = [UInt8](repeating: 0, count: rows)
        var nextInvalid = 0
        column.data.withUnsafeBytes { data in
            for i in 0..<rows {
                let r = row(i)
                let value = UnsafeRawBufferPointer(
                    rebasing: data[Int(column.offsets[r])..<Int(column.offsets[r + 1])])
                if isNull(r) {
                    textLevels[i] = 0
                } else if nextInvalid < invalid.count, invalid[nextInvalid] == i {
                    nextInvalid += 1
                    textValues.append(String(decoding: value, as: UTF8.self))
                    rawValues.append(value)
                    rawLevels[i] = 1
                } else {
                    textValues.append(value)
                }
            }
        }
        text = ColumnData(values: .byteArray(textValues), definitionLevels: nulls > 0 ? textLevels : nil)
        bytes = invalid.isEmpty ? noBytes : ColumnData(values: .byteArray(rawValues), definitionLevels: rawLevels)
    }
}
