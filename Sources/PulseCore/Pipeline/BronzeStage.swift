/// Turns the Kafka records of a micro-batch into Bronze rows: the record as Kafka gave it, plus when we
/// ingested it. Column-wise copies of the reader's buffers; no per-record allocation.
public enum BronzeStage {
    /// Rows for `table` from `records`, keeping only offsets at or above the table's own version of each
    /// partition (`minimumOffset[partition]`), so a replay after a crash writes nothing twice.
    public static func rows(
        of records: KafkaRecordBatch, ingestMicros: Int64, minimumOffset: [Int32: Int64], schema: DeltaSchema
    ) -> RecordBatch {
        let keep = selection(records, minimumOffset: minimumOffset)
        let n = keep?.count ?? records.count
        let day = Int32(EventTime.daysSinceEpoch(micros: ingestMicros))
        var topic = ByteArrayColumn(reservingValues: n, bytes: n * records.topic.utf8.count)
        let topicBytes = Array(records.topic.utf8)
        topicBytes.withUnsafeBytes { bytes in
            for _ in 0..<n { topic.append(bytes) }
        }
        let columns: [ColumnData]
        if let keep {
            columns = [
                ColumnData(values: .byteArray(gather(records.keys, keep))),
                ColumnData(values: .byteArray(gather(records.values, keep))),
                ColumnData(values: .byteArray(topic)),
                ColumnData(values: .int32(keep.map { records.partitions[$0] })),
                ColumnData(values: .int64(keep.map { records.offsets[$0] })),
                ColumnData(values: .int64(keep.map { records.timestampsMicros[$0] })),
                ColumnData(values: .int32(keep.map { records.timestampTypes[$0] })),
                ColumnData(values: .int64(Array(repeating: ingestMicros, count: n))),
                ColumnData(values: .int32(Array(repeating: day, count: n))),
            ]
        } else {
            columns = [
                ColumnData(values: .byteArray(records.keys)),
                ColumnData(values: .byteArray(records.values)),
                ColumnData(values: .byteArray(topic)),
                ColumnData(values: .int32(records.partitions)),
                ColumnData(values: .int64(records.offsets)),
                ColumnData(values: .int64(records.timestampsMicros)),
                ColumnData(values: .int32(records.timestampTypes)),
                ColumnData(values: .int64(Array(repeating: ingestMicros, count: n))),
                ColumnData(values: .int32(Array(repeating: day, count: n))),
            ]
        }
        return RecordBatch(schema: schema, columns: columns, rowCount: n)
    }

    /// Row indexes to keep, or nil when every row is kept (the common case: no replay).
    static func selection(_ records: KafkaRecordBatch, minimumOffset: [Int32: Int64]) -> [Int]? {
        let committed = CommittedOffsets(minimumOffset)
        if (0..<records.count).allSatisfy({ committed.isNew($0, of: records) }) { return nil }
        return (0..<records.count).filter { committed.isNew($0, of: records) }
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
