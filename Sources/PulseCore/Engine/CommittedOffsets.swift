/// A table's version per source partition, asked per record: is this record already in the table?
/// Bronze, Silver and quarantine each drop the records below their own version (a replay after a crash
/// between two tables' commits). Per partition in an array: it is asked for every record of every batch.
struct CommittedOffsets {
    private let minimum: [Int64]

    /// `versions[p]`: the next offset the table lacks in partition p (absent: it has none).
    init(_ versions: [Int32: Int64]) {
        var minimum = [Int64](repeating: 0, count: Int(versions.keys.max() ?? -1) + 1)
        for (p, version) in versions where p >= 0 { minimum[Int(p)] = version }
        self.minimum = minimum
    }

    /// Whether record `row` of `records` is not yet in the table.
    @inline(__always)
    func isNew(_ row: Int, of records: KafkaRecordBatch) -> Bool {
        let p = Int(records.partitions[row])
        return p >= minimum.count || records.offsets[row] >= minimum[p]
    }
}
