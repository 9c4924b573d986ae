import Glibc

/// A `RecordBatch` cut into one slice per distinct combination of partition values, each slice holding
/// only the non-partition columns (what goes into its Parquet file) and their statistics.
package struct PartitionedBatch {
    /// The rows of one partition, ready to be written as one data file.
    package struct Slice {
        /// Serialised partition values, in partition column order (nil = null).
        package var partitionValues: [String?]
        /// Non-partition columns, in schema order.
        package var columns: [ColumnData]
        package var rowCount: Int
        package var statistics: FileStatistics
    }

    package var slices: [Slice]
    /// The non-partition fields, in schema order (the data file schema).
    package var dataFields: [DeltaField]

    /// Splits `batch` by the values of `partitionColumns` (each must be a schema column).
    package init(_ batch: RecordBatch, partitionColumns: [String], table: String) throws {
        let schema = batch.schema
        var partitionIndices: [Int] = []
        for name in partitionColumns {
            guard let index = schema.index(of: name) else {
                throw DeltaError(
                    code: .invalidBatch, table: table, message: "partition column '\(name)' is not in the batch")
            }
            partitionIndices.append(index)
        }
        let dataIndices = schema.fields.indices.filter { !partitionIndices.contains($0) }
        dataFields = dataIndices.map { schema.fields[$0] }
        let rowCount = batch.rowCount
        guard rowCount > 0 else {
            slices = []
            return
        }

        // Row -> dense value position for each column with nulls (-1 = null).
        let densePositions: [[Int32]?] = batch.columns.map { column in
            guard let levels = column.definitionLevels else { return nil }
            var positions = [Int32](repeating: -1, count: levels.count)
            var next: Int32 = 0
            for row in 0..<levels.count where levels[row] != 0 {
                positions[row] = next
                next += 1
            }
            return positions
        }

        // Group id per row: mixed-radix number over per-column distinct value ids.
        var groupOfRow = [Int](repeating: 0, count: rowCount)
        var distinctValues: [[String?]] = []
        var radix = 1
        for index in partitionIndices {
            let (ids, values) = PartitionedBatch.distinctIds(
                batch.columns[index], type: schema.fields[index].type, positions: densePositions[index],
                rowCount: rowCount)
            for row in 0..<rowCount { groupOfRow[row] = groupOfRow[row] &* values.count &+ Int(ids[row]) }
            distinctValues.append(values)
            radix = radix.multipliedReportingOverflow(by: values.count).overflow ? Int.max : radix * values.count
        }
        guard radix != Int.max else {
            throw DeltaError(code: .invalidBatch, table: table, message: "too many distinct partition values")
        }

        var groupIndex: [Int: Int] = [:]
        var groupRows: [[Int32]] = []
        var groupKeys: [Int] = []
        // One partition (Bronze's usual batch: every row ingested the same day): the batch's own columns
        // are the file's, without a copy.
        if groupOfRow.allSatisfy({ $0 == groupOfRow[0] }) {
            var columns: [ColumnData] = []
            var statistics: [FileStatistics.Column] = []
            for index in dataIndices {
                let field = schema.fields[index]
                columns.append(batch.columns[index])
                statistics.append(
                    PartitionedBatch.summarize(batch.columns[index]).statistics(name: field.name, type: field.type))
            }
            slices = [
                Slice(
                    partitionValues: PartitionedBatch.decode(groupOfRow[0], distinctValues), columns: columns,
                    rowCount: rowCount, statistics: FileStatistics(numRecords: Int64(rowCount), columns: statistics))
            ]
            return
        }
        // Rows come in runs (a source partition's records are consecutive): try the last group first.
        var lastKey = -1
        var lastGroup = -1
        for row in 0..<rowCount {
            let key = groupOfRow[row]
            if key == lastKey {
                groupRows[lastGroup].append(Int32(row))
            } else if let existing = groupIndex[key] {
                groupRows[existing].append(Int32(row))
                lastKey = key
                lastGroup = existing
            } else {
                lastKey = key
                lastGroup = groupRows.count
                groupIndex[key] = groupRows.count
                groupRows.append([Int32(row)])
                groupKeys.append(key)
            }
        }

        var result: [Slice] = []
        result.reserveCapacity(groupRows.count)
        for (group, rows) in groupRows.enumerated() {
            let values = PartitionedBatch.decode(groupKeys[group], distinctValues)
            var columns: [ColumnData] = []
            var statistics: [FileStatistics.Column] = []
            for index in dataIndices {
                let field = schema.fields[index]
                let (column, summary) = PartitionedBatch.gather(
                    batch.columns[index], positions: densePositions[index], rows: rows)
                columns.append(column)
                statistics.append(summary.statistics(name: field.name, type: field.type))
            }
            result.append(
                Slice(
                    partitionValues: values, columns: columns, rowCount: rows.count,
                    statistics: FileStatistics(numRecords: Int64(rows.count), columns: statistics)))
        }
        slices = result
    }

    /// The partition values of a group key (mixed radix over the columns' distinct value ids).
    private static func decode(_ groupKey: Int, _ distinctValues: [[String?]]) -> [String?] {
        var key = groupKey
        var values = [String?](repeating: nil, count: distinctValues.count)
        for level in stride(from: distinctValues.count - 1, through: 0, by: -1) {
            let count = distinctValues[level].count
            values[level] = distinctValues[level][key % count]
            key /= count
        }
        return values
    }

    /// Statistics of a whole column (its nulls are the zero definition levels).
    private static func summarize(_ column: ColumnData) -> ColumnSummary {
        var summary = ColumnSummary()
        if let levels = column.definitionLevels {
            var nulls: Int64 = 0
            for level in levels where level == 0 { nulls += 1 }
            summary.nullCount = nulls
        }
        switch column.values {
        case .int32(let numbers): for number in numbers { summary.add(Int64(number)) }
        case .int64(let numbers): for number in numbers { summary.add(number) }
        case .double(let numbers): for number in numbers { summary.add(number) }
        case .boolean(let flags): for flag in flags { summary.add(flag) }
        case .byteArray(let strings):
            strings.data.withUnsafeBytes { data in
                for position in 0..<strings.count {
                    summary.add(
                        UnsafeRawBufferPointer(
                            rebasing: data[Int(strings.offsets[position])..<Int(strings.offsets[position + 1])]))
                }
            }
        }
        return summary
    }

    /// Serialised partition value of each row as a small id, plus the distinct values
    /// (PROTOCOL.md § Partition Value Serialization).
    private static func distinctIds(
        _ column: ColumnData, type: DeltaType, positions: [Int32]?, rowCount: Int
    ) -> ([Int32], [String?]) {
        var ids = [Int32](repeating: 0, count: rowCount)
        var values: [String?] = []
        var nullId: Int32? = nil
        func idForNull() -> Int32 {
            if let nullId { return nullId }
            let id = Int32(values.count)
            values.append(nil)
            nullId = id
            return id
        }
        func dense(_ row: Int) -> Int? {
            guard let positions else { return row }
            let position = positions[row]
            return position < 0 ? nil : Int(position)
        }
        switch column.values {
        case .int32(let numbers):
            var seen: [Int32: Int32] = [:]
            var last: (number: Int32, id: Int32)? = nil
            for row in 0..<rowCount {
                guard let position = dense(row) else {
                    ids[row] = idForNull()
                    continue
                }
                let number = numbers[position]
                if let last, last.number == number {
                    ids[row] = last.id
                    continue
                }
                defer { last = (number, ids[row]) }
                if let id = seen[number] {
                    ids[row] = id
                } else {
                    let id = Int32(values.count)
                    values.append(type == .date ? EventTime.dateString(days: Int64(number)) : String(number))
                    seen[number] = id
                    ids[row] = id
                }
            }
        case .int64(let numbers):
            var seen: [Int64: Int32] = [:]
            for row in 0..<rowCount {
                guard let position = dense(row) else {
                    ids[row] = idForNull()
                    continue
                }
                let number = numbers[position]
                if let id = seen[number] {
                    ids[row] = id
                } else {
                    let id = Int32(values.count)
                    values.append(
                        type == .timestamp ? EventTime.partitionTimestampString(micros: number) : String(number))
                    seen[number] = id
                    ids[row] = id
                }
            }
        case .double(let numbers):
            var seen: [UInt64: Int32] = [:]
            for row in 0..<rowCount {
                guard let position = dense(row) else {
                    ids[row] = idForNull()
                    continue
                }
                let number = numbers[position]
                if let id = seen[number.bitPattern] {
                    ids[row] = id
                } else {
                    let id = Int32(values.count)
                    values.append(number.description)
                    seen[number.bitPattern] = id
                    ids[row] = id
                }
            }
        case .boolean(let flags):
            var seen: [Bool: Int32] = [:]
            for row in 0..<rowCount {
                guard let position = dense(row) else {
                    ids[row] = idForNull()
                    continue
                }
                let flag = flags[position]
                if let id = seen[flag] {
                    ids[row] = id
                } else {
                    let id = Int32(values.count)
                    values.append(flag ? "true" : "false")
                    seen[flag] = id
                    ids[row] = id
                }
            }
        case .byteArray(let strings):
            // Partition columns have few values: compare bytes with each value seen (no String per row),
            // through a dictionary only past a few dozen.
            var seenRanges: [(start: Int, end: Int, id: Int32)] = []
            var lastRange: (start: Int, end: Int, id: Int32) = (0, -1, 0)
            var seen: [String: Int32] = [:]
            strings.data.withUnsafeBytes { data in
                for row in 0..<rowCount {
                    guard let position = dense(row) else {
                        ids[row] = idForNull()
                        continue
                    }
                    let start = Int(strings.offsets[position])
                    let end = Int(strings.offsets[position + 1])
                    // PROTOCOL.md § Partition Value Serialization: an empty string is a null partition value.
                    if start == end {
                        ids[row] = idForNull()
                        continue
                    }
                    var found: Int32? = nil
                    // The previous row's value first: rows come in runs.
                    if lastRange.end - lastRange.start == end - start,
                        memcmp(data.baseAddress! + lastRange.start, data.baseAddress! + start, end - start) == 0
                    {
                        ids[row] = lastRange.id
                        continue
                    }
                    defer { lastRange = (start, end, ids[row]) }
                    for known in seenRanges
                    where known.end - known.start == end - start
                        && memcmp(data.baseAddress! + known.start, data.baseAddress! + start, end - start) == 0
                    {
                        found = known.id
                        break
                    }
                    if found == nil, seenRanges.count >= 48 {
                        let text = String(decoding: UnsafeRawBufferPointer(rebasing: data[start..<end]), as: UTF8.self)
                        found = seen[text]
                        if found == nil {
                            found = Int32(values.count)
                            values.append(text)
                            seen[text] = found
                        }
                    }
                    if let found {
                        ids[row] = found
                    } else {
                        let id = Int32(values.count)
                        values.append(
                            String(decoding: UnsafeRawBufferPointer(rebasing: data[start..<end]), as: UTF8.self))
                        seenRanges.append((start, end, id))
                        ids[row] = id
                    }
                }
            }
        }
        return (ids, values)
    }

    /// The column restricted to `rows`, with its statistics.
    private static func gather(
        _ column: ColumnData, positions: [Int32]?, rows: [Int32]
    ) -> (ColumnData, ColumnSummary) {
        var summary = ColumnSummary()
        var levels: [UInt8]? = nil
        if let positions {
            var selected = [UInt8](repeating: 1, count: rows.count)
            var nulls: Int64 = 0
            for (index, row) in rows.enumerated() where positions[Int(row)] < 0 {
                selected[index] = 0
                nulls += 1
            }
            summary.nullCount = nulls
            if nulls > 0 { levels = selected }
        }
        // Dense positions of the selected non-null rows.
        var dense: [Int] = []
        dense.reserveCapacity(rows.count)
        for row in rows {
            if let positions {
                let position = positions[Int(row)]
                if position >= 0 { dense.append(Int(position)) }
            } else {
                dense.append(Int(row))
            }
        }
        let values: ColumnValues
        switch column.values {
        case .int32(let numbers):
            var out = [Int32]()
            out.reserveCapacity(dense.count)
            for position in dense {
                let number = numbers[position]
                out.append(number)
                summary.add(Int64(number))
            }
            values = .int32(out)
        case .int64(let numbers):
            var out = [Int64]()
            out.reserveCapacity(dense.count)
            for position in dense {
                let number = numbers[position]
                out.append(number)
                summary.add(number)
            }
            values = .int64(out)
        case .double(let numbers):
            var out = [Double]()
            out.reserveCapacity(dense.count)
            for position in dense {
                let number = numbers[position]
                out.append(number)
                summary.add(number)
            }
            values = .double(out)
        case .boolean(let flags):
            var out = [Bool]()
            out.reserveCapacity(dense.count)
            for position in dense {
                let flag = flags[position]
                out.append(flag)
                summary.add(flag)
            }
            values = .boolean(out)
        case .byteArray(let strings):
            var out = ByteArrayColumn()
            strings.data.withUnsafeBytes { data in
                for position in dense {
                    let start = Int(strings.offsets[position])
                    let end = Int(strings.offsets[position + 1])
                    let slice = UnsafeRawBufferPointer(rebasing: data[start..<end])
                    out.append(slice)
                    summary.add(slice)
                }
            }
            values = .byteArray(out)
        }
        return (ColumnData(values: values, definitionLevels: levels), summary)
    }
}
