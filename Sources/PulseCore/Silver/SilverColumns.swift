/// One buffer of a Silver columns struct, for the operations every buffer gets alike.
public enum SilverBuffer<Columns>: Sendable {
    case strings(any WritableKeyPath<Columns, ByteArrayColumn> & Sendable, bytesPerRow: Int)
    case int32s(any WritableKeyPath<Columns, [Int32]> & Sendable)
    case int64s(any WritableKeyPath<Columns, [Int64]> & Sendable)
    case doubles(any WritableKeyPath<Columns, [Double]> & Sendable)
    case flags(any WritableKeyPath<Columns, [Bool]> & Sendable)
}

/// Where one column of a Silver table comes from in a columns struct, in the table's schema order.
public enum SilverTableColumn<Columns>: Sendable {
    case strings(any KeyPath<Columns, ByteArrayColumn> & Sendable)
    case int32s(any KeyPath<Columns, [Int32]> & Sendable)
    case int64s(any KeyPath<Columns, [Int64]> & Sendable)
    case doubles(any KeyPath<Columns, [Double]> & Sendable)
    /// Doubles that are null where `valid` is false.
    case nullableDoubles(any KeyPath<Columns, [Double]> & Sendable, valid: any KeyPath<Columns, [Bool]> & Sendable)
}

/// One batch of a Silver table's rows, column by column, for the Parquet writer and for Gold: row i of
/// every buffer is the same record. `SilverBikeColumns` and `SilverWeatherColumns` differ only in their
/// fields, so they list them (`buffers`, `table`) and share everything done with them.
public protocol SilverColumns: SilverRows, Sendable {
    init()
    /// Every stored buffer (table columns and helpers such as `stationIndex`).
    static var buffers: [SilverBuffer<Self>] { get }
    /// The table's columns in schema order.
    static var table: [SilverTableColumn<Self>] { get }
}

extension SilverColumns {
    /// Number of rows.
    public var count: Int { eventTime.count }

    /// Room for `rows` more rows without reallocating.
    public mutating func reserveCapacity(_ rows: Int) {
        let total = count + rows
        for buffer in Self.buffers {
            switch buffer {
            case .strings(let path, let bytesPerRow):
                self[keyPath: path].reserveCapacity(rows: rows, bytesPerRow: bytesPerRow)
            case .int32s(let path): self[keyPath: path].reserveCapacity(total)
            case .int64s(let path): self[keyPath: path].reserveCapacity(total)
            case .doubles(let path): self[keyPath: path].reserveCapacity(total)
            case .flags(let path): self[keyPath: path].reserveCapacity(total)
            }
        }
    }

    /// Appends every row of `other` after this batch's rows.
    public mutating func append(contentsOf other: Self) {
        for buffer in Self.buffers {
            switch buffer {
            case .strings(let path, _): self[keyPath: path].append(contentsOf: other[keyPath: path])
            case .int32s(let path): self[keyPath: path].append(contentsOf: other[keyPath: path])
            case .int64s(let path): self[keyPath: path].append(contentsOf: other[keyPath: path])
            case .doubles(let path): self[keyPath: path].append(contentsOf: other[keyPath: path])
            case .flags(let path): self[keyPath: path].append(contentsOf: other[keyPath: path])
            }
        }
    }

    /// Empties every buffer, keeping memory for the next batch.
    public mutating func removeAll() {
        for buffer in Self.buffers {
            switch buffer {
            case .strings(let path, _): self[keyPath: path].removeAll()
            case .int32s(let path): self[keyPath: path].removeAll(keepingCapacity: true)
            case .int64s(let path): self[keyPath: path].removeAll(keepingCapacity: true)
            case .doubles(let path): self[keyPath: path].removeAll(keepingCapacity: true)
            case .flags(let path): self[keyPath: path].removeAll(keepingCapacity: true)
            }
        }
    }

    /// Rows `keep` (nil: all) in the order a Silver file holds them: by station (the catalogue's order,
    /// which is station_id's), then event time, then arrival. A counting sort by station keeps each
    /// station's rows in offset order, which is event-time order unless records came late; a station whose
    /// rows are not is then sorted by time.
    public func fileOrder(keep: [Int]?) -> [Int] {
        let rows = keep ?? Array(0..<count)
        guard rows.count > 1 else { return rows }
        let stations = (stationIndex.max().map { Int($0) } ?? 0) + 1
        var starts = [Int](repeating: 0, count: stations + 1)
        for row in rows { starts[Int(stationIndex[row]) + 1] += 1 }
        for s in 0..<stations { starts[s + 1] += starts[s] }
        var order = [Int](repeating: 0, count: rows.count)
        var next = starts
        for row in rows {
            let s = Int(stationIndex[row])
            order[next[s]] = row
            next[s] += 1
        }
        for s in 0..<stations where starts[s + 1] - starts[s] > 1 {
            Self.sortByTime(&order, starts[s]..<starts[s + 1], eventTime)
        }
        return order
    }

    /// Sorts `order[range]` (rows in ascending row order) by (event time, row). Offset order is nearly
    /// time order (a few late records), so an insertion sort does it in one pass; rows that are far from
    /// it (more shifts than 4 per row) fall back to a full sort, so hostile input cannot make it quadratic.
    static func sortByTime(_ order: inout [Int], _ range: Range<Int>, _ time: [Int64]) {
        var budget = range.count * 4
        time.withUnsafeBufferPointer { time in
            order.withUnsafeMutableBufferPointer { order in
                var i = range.lowerBound + 1
                while i < range.upperBound, budget >= 0 {
                    let row = order[i]
                    let key = time[row]
                    var j = i
                    // Strictly later rows move up: equal times keep their (ascending) row order.
                    while j > range.lowerBound, time[order[j - 1]] > key {
                        order[j] = order[j - 1]
                        j -= 1
                    }
                    budget -= i - j
                    order[j] = row
                    i += 1
                }
            }
        }
        if budget < 0 {
            // (time, row) packed in one integer: sorting plain integers is several times faster than a
            // closure that looks both rows up. The sign bit is flipped so negative times order first.
            var keys = order[range].map { row in
                UInt128(UInt64(bitPattern: time[row]) ^ (1 << 63)) << 64 | UInt128(UInt64(row))
            }
            keys.sort()
            for (i, key) in zip(range, keys) { order[i] = Int(truncatingIfNeeded: UInt64(truncatingIfNeeded: key)) }
        }
    }

    /// The table's columns for rows `keep` in that order (nil: every row, sharing the buffers without a copy).
    public func recordBatch(schema: DeltaSchema, keep: [Int]?) -> RecordBatch {
        let columns = Self.table.map { column -> ColumnData in
            switch column {
            case .strings(let path): return .strings(self[keyPath: path], rows: keep)
            case .int32s(let path): return ColumnData(values: .int32(self[keyPath: path].selecting(keep)))
            case .int64s(let path): return ColumnData(values: .int64(self[keyPath: path].selecting(keep)))
            case .doubles(let path): return ColumnData(values: .double(self[keyPath: path].selecting(keep)))
            case .nullableDoubles(let path, let valid):
                return .doubles(self[keyPath: path], valid: self[keyPath: valid], rows: keep)
            }
        }
        return RecordBatch(schema: schema, columns: columns, rowCount: keep?.count ?? count)
    }
}
