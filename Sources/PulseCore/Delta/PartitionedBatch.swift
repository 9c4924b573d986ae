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
        for row in 0..<rowCount {
            let key = groupOfRow[row]
            if let existing = groupIndex[key] {
                groupRows[existing].append(Int32(row))
            } else {
                groupIndex[key] = groupRows.count
                groupRows.append([Int32(row)])
                groupKeys.append(key)
            }
        }

        var result: [Slice] = []
        result.reserveCapacity(groupRows.count)
        for (group, rows) in groupRows.enumerated() {
            // Decode the mixed-radix key back into one value per partition column.
            var key = groupKeys[group]
            var values = [String?](repeating: nil, count: partitionIndices.count)
            for level in stride(from: partitionIndices.count - 1, through: 0, by: -1) {
                let count = distinctValues[level].count
                values[level] = distinctValues[level][key % count]
                key /= count
            }
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
                    values.append(type == .date ? CivilTime.dateString(days: Int64(number)) : String(number))
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
                        type == .timestamp ? CivilTime.partitionTimestampString(micros: number) : String(number))
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
            var seen: [String: Int32] = [:]
            for row in 0..<rowCount {
                guard let position = dense(row) else {
                    ids[row] = idForNull()
                    continue
                }
                let text = strings.string(at: position)
                // PROTOCOL.md § Partition Value Serialization: an empty string is a null partition value.
                if text.isEmpty {
                    ids[row] = idForNull()
                    continue
                }
                if let id = seen[text] {
                    ids[row] = id
                } else {
                    let id = Int32(values.count)
                    values.append(text)
                    seen[text] = id
                    ids[row] = id
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
