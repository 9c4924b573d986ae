import Synchronization

/// Decoded columns of data files, shared by the read API's table readers. A Delta data file never
/// changes once written, so what was decoded for one request serves every later one; the least recently
/// used files leave once the cache holds more than `capacityBytes`.
public final class DataFileCache: Sendable {
    private let capacityBytes: Int
    private struct Entry: Sendable {
        var file: DecodedFile
        var lastUse: UInt64
    }
    private struct State: Sendable {
        var entries: [String: Entry] = [:]
        var bytes = 0
        var clock: UInt64 = 0
        var hits = 0
        var misses = 0
    }
    private let state = Mutex(State())

    public init(capacityBytes: Int = 256 << 20) {
        self.capacityBytes = capacityBytes
    }

    /// Hits and misses so far (for /metrics).
    public var counts: (hits: Int, misses: Int, bytes: Int) { state.withLock { ($0.hits, $0.misses, $0.bytes) } }

    /// `columns` of the data file `add` of `table`, decoding the ones not cached yet.
    func file(_ add: AddAction, of table: DeltaTable, snapshot: Snapshot, columns: Set<String>) throws -> DecodedFile {
        let key = table.path + "/" + add.path
        if let cached = state.withLock({ state -> DecodedFile? in
            guard var entry = state.entries[key], columns.isSubset(of: entry.file.columns.keys) else { return nil }
            state.clock += 1
            entry.lastUse = state.clock
            state.entries[key] = entry
            state.hits += 1
            return entry.file
        }) {
            return cached
        }
        var file = try DecodedFile.read(add, of: table, snapshot: snapshot, columns: columns)
        state.withLock { state in
            state.misses += 1
            if let existing = state.entries[key] {
                // Another request decoded other columns of this file: keep both.
                file.columns.merge(existing.file.columns) { new, _ in new }
                state.bytes -= existing.file.bytes
            }
            state.clock += 1
            state.entries[key] = Entry(file: file, lastUse: state.clock)
            state.bytes += file.bytes
            while state.bytes > capacityBytes, state.entries.count > 1,
                let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse })
            {
                state.bytes -= oldest.value.file.bytes
                state.entries.removeValue(forKey: oldest.key)
            }
        }
        return file
    }
}

/// Some columns of one data file, decoded (partition columns filled from the file's partition values).
struct DecodedFile: Sendable {
    var rowCount: Int
    var columns: [String: TypedColumn]

    var bytes: Int {
        columns.values.reduce(0) { $0 + $1.data.values.inputByteCount + ($1.data.definitionLevels?.count ?? 0) }
    }

    func column(_ name: String) -> TypedColumn? { columns[name] }

    static func read(_ add: AddAction, of table: DeltaTable, snapshot: Snapshot, columns: Set<String>) throws
        -> DecodedFile
    {
        let wanted = snapshot.schema.fields.filter { columns.contains($0.name) }
        let batch = try table.readDataFile(add, base: snapshot, only: Set(wanted.map(\.name)))
        var decoded: [String: TypedColumn] = [:]
        for (index, field) in batch.schema.fields.enumerated() where columns.contains(field.name) {
            decoded[field.name] = TypedColumn(type: field.type, data: batch.columns[index])
        }
        return DecodedFile(rowCount: batch.rowCount, columns: decoded)
    }
}

/// A decoded column and its Delta type, read cell by cell.
struct TypedColumn: Sendable {
    let type: DeltaType
    let data: ColumnData
    /// Dense value index of each row, -1 for null; nil when the column has no nulls.
    let positions: [Int32]?

    init(type: DeltaType, data: ColumnData) {
        self.type = type
        self.data = data
        if let levels = data.definitionLevels, levels.contains(0) {
            var next: Int32 = 0
            positions = levels.map { level in
                guard level != 0 else { return -1 }
                defer { next += 1 }
                return next
            }
        } else {
            positions = nil
        }
    }

    func value(_ row: Int) -> CellValue? {
        let index: Int
        if let positions {
            guard positions[row] >= 0 else { return .null }
            index = Int(positions[row])
        } else {
            index = row
        }
        switch (type, data.values) {
        case (.string, .byteArray(let v)): return .string(v.string(at: index))
        case (.binary, .byteArray): return .null
        case (.integer, .int32(let v)): return .int(Int64(v[index]))
        case (.date, .int32(let v)): return .date(v[index])
        case (.long, .int64(let v)): return .int(v[index])
        case (.timestamp, .int64(let v)): return .timestamp(v[index])
        case (.double, .double(let v)): return .double(v[index])
        case (.boolean, .boolean(let v)): return .bool(v[index])
        default: return nil
        }
    }
}
