/// Column constructors the stages share: dense arrays in, `ColumnData` out.
extension ColumnData {
    /// A string column of `count` values.
    static func strings(_ count: Int, _ value: (Int) -> String) -> ColumnData {
        var column = ByteArrayColumn(reservingValues: count, bytes: count * 8)
        for i in 0..<count { column.append(value(i)) }
        return ColumnData(values: .byteArray(column))
    }

    /// Rows `keep` of a string column; nil keeps the column as it is (shared, not copied).
    static func strings(_ column: ByteArrayColumn, rows keep: [Int]?) -> ColumnData {
        guard let keep else { return ColumnData(values: .byteArray(column)) }
        var kept = ByteArrayColumn(reservingValues: keep.count, bytes: keep.count * 8)
        column.data.withUnsafeBytes { bytes in
            for row in keep {
                kept.append(
                    UnsafeRawBufferPointer(rebasing: bytes[Int(column.offsets[row])..<Int(column.offsets[row + 1])]))
            }
        }
        return ColumnData(values: .byteArray(kept))
    }

    /// Rows `keep` (nil: all) of a nullable double column given as values plus validity.
    static func doubles(_ values: [Double], valid: [Bool], rows keep: [Int]?) -> ColumnData {
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

extension Array {
    /// Elements `keep` in that order; nil keeps them all (shared, not copied).
    func selecting(_ keep: [Int]?) -> [Element] {
        guard let keep else { return self }
        return keep.map { self[$0] }
    }
}
