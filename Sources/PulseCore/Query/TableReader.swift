import Synchronization

/// One cell of a query result, typed as the Delta column is.
public enum CellValue: Sendable, Equatable {
    case null
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    /// Microseconds since the epoch, UTC.
    case timestamp(Int64)
    /// Days since 1970-01-01.
    case date(Int32)
}

/// A query's rows, row by row, in the order of `columns`.
public struct QueryRows: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[CellValue]]
}

/// "Newest rows first" over one Delta table, for the read API: rows whose `filterColumn` equals
/// `filterValue` (when given), ordered by `timeColumn` descending, at most `limit`, with `columns`.
public struct NewestRowsQuery: Sendable, Hashable {
    public var columns: [String]
    public var timeColumn: String
    public var filterColumn: String?
    public var filterValue: String?
    public var limit: Int

    public init(
        columns: [String], timeColumn: String, filterColumn: String? = nil, filterValue: String? = nil, limit: Int
    ) {
        self.columns = columns
        self.timeColumn = timeColumn
        self.filterColumn = filterColumn
        self.filterValue = filterValue
        self.limit = limit
    }
}

/// Reads one Delta table for queries without re-reading it per request. The snapshot is refreshed when
/// the table's version moves (checked at most every `refreshSeconds`); data files, which never change,
/// are decoded once and their needed columns kept in a shared `DataFileCache`. A query prunes files by
/// partition values and per-file min/max statistics (the filter column's range, the time column's
/// maximum), reads only the columns it needs, and stops once no unread file can hold a newer row.
///
/// When the store fails, the last snapshot keeps answering: `staleSince` says since when.
public final class TableReader: Sendable {
    public let table: DeltaTable
    private let cache: DataFileCache
    private let refreshSeconds: Double
    private struct State: Sendable {
        var snapshot: Snapshot?
        var refreshedAt: Double = -.infinity
        var staleSince: Int64?
        var lastError: String?
        var refreshing = false
        /// Per file path: statistics parsed from `add.stats`, once.
        var fileStats: [String: FileBounds] = [:]
    }
    private let state = Mutex(State())

    public init(table: DeltaTable, cache: DataFileCache, refreshSeconds: Double = 1) {
        self.table = table
        self.cache = cache
        self.refreshSeconds = refreshSeconds
    }

    /// When the store started failing (epoch µs), nil while it answers; the last error.
    public var staleness: (since: Int64?, error: String?) { state.withLock { ($0.staleSince, $0.lastError) } }

    /// The table's snapshot, refreshed when due; the cached one while the store fails; nil if the table
    /// does not exist (or was never read).
    public func snapshot() -> Snapshot? {
        let now = WallClock.monotonicSeconds()
        let due = state.withLock { state -> Bool in
            guard !state.refreshing, now - state.refreshedAt >= refreshSeconds else { return false }
            state.refreshing = true
            return true
        }
        if due {
            do {
                let fresh = try table.snapshot()
                state.withLock { state in
                    if let fresh, fresh.version != state.snapshot?.version {
                        state.snapshot = fresh
                        let live = Set(fresh.files.keys)
                        state.fileStats = state.fileStats.filter { live.contains($0.key) }
                    } else if fresh == nil {
                        state.snapshot = nil
                    }
                    state.refreshedAt = now
                    state.staleSince = nil
                    state.lastError = nil
                    state.refreshing = false
                }
            } catch {
                state.withLock { state in
                    state.refreshedAt = now
                    if state.staleSince == nil { state.staleSince = WallClock.nowMicros() }
                    state.lastError = "\(error)"
                    state.refreshing = false
                }
            }
        }
        return state.withLock { $0.snapshot }
    }

    /// Runs `query`; throws when the table lacks a column or a data file cannot be read.
    public func newestRows(_ query: NewestRowsQuery) throws -> QueryRows {
        guard let snapshot = snapshot() else { return QueryRows(columns: query.columns, rows: []) }
        let schema = snapshot.schema
        for name in query.columns + [query.timeColumn] + [query.filterColumn].compactMap({ $0 })
        where schema.index(of: name) == nil {
            throw DeltaError(code: .schemaMismatch, table: table.log.tableName, message: "no column \(name)")
        }
        // Candidate files: partition values and statistics that admit the filter, newest maximum first.
        var candidates: [(add: AddAction, bounds: FileBounds)] = []
        for add in snapshot.files.values {
            let bounds = self.bounds(of: add, query: query, schema: schema)
            if let filterColumn = query.filterColumn, let value = query.filterValue {
                if let partitionValue = add.partitionValues[filterColumn] {
                    if partitionValue != value { continue }
                } else if let min = bounds.filterMin, let max = bounds.filterMax,
                    value.utf8.lexicographicallyPrecedes(min.utf8) || max.utf8.lexicographicallyPrecedes(value.utf8)
                {
                    continue  // byte order, as Delta's statistics are
                }
            }
            candidates.append((add, bounds))
        }
        candidates.sort { ($0.bounds.maxTime ?? .max, $0.add.path) > ($1.bounds.maxTime ?? .max, $1.add.path) }
        var best: [(time: Int64, file: Int, row: Int)] = []
        var files: [DecodedFile] = []
        for candidate in candidates {
            if best.count >= query.limit, let maxTime = candidate.bounds.maxTime, maxTime < best[best.count - 1].time {
                break
            }
            let file = try cache.file(
                candidate.add, of: table, snapshot: snapshot,
                columns: Set(query.columns + [query.timeColumn] + [query.filterColumn].compactMap { $0 }))
            let fileIndex = files.count
            files.append(file)
            guard let times = file.column(query.timeColumn) else { continue }
            let filter = query.filterColumn.flatMap { file.column($0) }
            for row in 0..<file.rowCount {
                guard case .timestamp(let time) = times.value(row) ?? .null else { continue }
                if let filter, let value = query.filterValue, filter.value(row) != .string(value) { continue }
                if best.count >= query.limit, time <= best[best.count - 1].time { continue }
                let at = best.firstIndex { $0.time < time } ?? best.count
                best.insert((time, fileIndex, row), at: at)
                if best.count > query.limit { best.removeLast() }
            }
        }
        let rows = best.map { hit in
            query.columns.map { files[hit.file].column($0)?.value(hit.row) ?? .null }
        }
        return QueryRows(columns: query.columns, rows: rows)
    }

    private func bounds(of add: AddAction, query: NewestRowsQuery, schema: DeltaSchema) -> FileBounds {
        if let known = state.withLock({ $0.fileStats[add.path] }) { return known }
        var bounds = FileBounds()
        if let stats = add.stats, let json = try? JSONParser.parse(stats) {
            if let text = json["maxValues"]?[query.timeColumn]?.stringValue {
                bounds.maxTime = EventTimeParser.parse(text)
            }
            if let filterColumn = query.filterColumn {
                bounds.filterMin = json["minValues"]?[filterColumn]?.stringValue
                bounds.filterMax = json["maxValues"]?[filterColumn]?.stringValue
            }
        }
        // A time partition value (dt) bounds nothing here; a missing maximum means "read it".
        state.withLock { $0.fileStats[add.path] = bounds }
        return bounds
    }
}

/// What a file's statistics say about a query's columns.
struct FileBounds: Sendable {
    var maxTime: Int64?
    var filterMin: String?
    var filterMax: String?
}
