/// Reads one leaf column of a nested Parquet file row by row, from its definition and repetition levels
/// (the inverse of `NestedRecordShredder` for the shapes checkpoints use: flat optional fields inside
/// optional structs, and maps/lists with one repeated level).
package struct NestedColumnReader {
    private let values: ColumnValues
    private let definitionLevels: [UInt8]?
    private let maxDefinitionLevel: Int
    /// Index of each row's first level; count rowCount + 1.
    private let rowStarts: [Int]
    /// Dense value index of each level, -1 where the level is below max definition (null or absent).
    private let valueIndex: [Int32]

    package init(column: ColumnData, maxDefinitionLevel: Int, rowCount: Int) throws {
        values = column.values
        definitionLevels = column.definitionLevels
        self.maxDefinitionLevel = maxDefinitionLevel
        let levelCount = column.definitionLevels?.count ?? column.repetitionLevels?.count ?? column.values.count
        // The row count comes from the file's footer: every row has at least one level, so a count above
        // the levels (or below zero) is a damaged file, not a reason to allocate.
        guard rowCount >= 0, rowCount <= levelCount, maxDefinitionLevel >= 0, maxDefinitionLevel <= 255 else {
            throw NestedRecordShredder.Mismatch(
                description:
                    "file claims \(rowCount) rows and \(maxDefinitionLevel) levels for a column of \(levelCount) levels"
            )
        }
        var starts: [Int] = []
        starts.reserveCapacity(min(rowCount, levelCount) + 1)  // rowCount is the footer's claim
        if let repetition = column.repetitionLevels {
            for index in 0..<repetition.count where repetition[index] == 0 { starts.append(index) }
        } else {
            starts.append(contentsOf: 0..<levelCount)
        }
        guard starts.count == rowCount else {
            throw NestedRecordShredder.Mismatch(description: "column has \(starts.count) rows, file has \(rowCount)")
        }
        starts.append(levelCount)
        rowStarts = starts
        var indices = [Int32](repeating: -1, count: levelCount)
        var next: Int32 = 0
        for level in 0..<levelCount
        where (column.definitionLevels?[level] ?? UInt8(maxDefinitionLevel)) == maxDefinitionLevel {
            indices[level] = next
            next += 1
        }
        guard Int(next) == column.values.count else {
            throw NestedRecordShredder.Mismatch(
                description: "column has \(column.values.count) values for \(next) defined levels")
        }
        valueIndex = indices
    }

    /// Definition level of the row's first entry (how deep the path is defined).
    package func definition(row: Int) -> Int {
        Int(definitionLevels?[rowStarts[row]] ?? UInt8(maxDefinitionLevel))
    }

    /// Level positions of the row (one unless the column is repeated).
    package func levels(row: Int) -> Range<Int> { rowStarts[row]..<rowStarts[row + 1] }

    /// Level positions of the row that hold an element of the repeated ancestor defined at `level`.
    package func entries(row: Int, elementDefinition level: Int) -> [Int] {
        levels(row: row).filter { Int(definitionLevels?[$0] ?? UInt8(maxDefinitionLevel)) >= level }
    }

    package func string(at level: Int) -> String? {
        let index = valueIndex[level]
        guard index >= 0, case .byteArray(let strings) = values else { return nil }
        return strings.string(at: Int(index))
    }

    package func int64(at level: Int) -> Int64? {
        let index = valueIndex[level]
        guard index >= 0 else { return nil }
        switch values {
        case .int64(let numbers): return numbers[Int(index)]
        case .int32(let numbers): return Int64(numbers[Int(index)])
        default: return nil
        }
    }

    package func bool(at level: Int) -> Bool? {
        let index = valueIndex[level]
        guard index >= 0, case .boolean(let flags) = values else { return nil }
        return flags[Int(index)]
    }

    package func string(row: Int) -> String? { string(at: rowStarts[row]) }
    package func int64(row: Int) -> Int64? { int64(at: rowStarts[row]) }
    package func bool(row: Int) -> Bool? { bool(at: rowStarts[row]) }
}
