/// A columnar batch to append to a table: one `ColumnData` per schema field, in schema order, partition
/// columns included (they are split off into paths and `partitionValues`, never written into files).
/// A nullable column carries `definitionLevels` (0 = null, 1 = present) with dense values; a column
/// without levels has a value for every row.
public struct RecordBatch: Sendable {
    public var schema: DeltaSchema
    public var columns: [ColumnData]
    public var rowCount: Int

    public init(schema: DeltaSchema, columns: [ColumnData], rowCount: Int) {
        self.schema = schema
        self.columns = columns
        self.rowCount = rowCount
    }

    /// An empty batch (a commit of `txn` actions only).
    public static func empty(schema: DeltaSchema) -> RecordBatch {
        RecordBatch(
            schema: schema,
            columns: schema.fields.map { ColumnData(values: $0.type.emptyValues) },
            rowCount: 0)
    }

    /// Checks shape and types against the schema; throws `DeltaError(.invalidBatch)` naming the column.
    package func validate(table: String) throws {
        func fail(_ message: String) -> DeltaError {
            DeltaError(code: .invalidBatch, table: table, message: message)
        }
        guard columns.count == schema.fields.count else {
            throw fail("batch has \(columns.count) columns, schema has \(schema.fields.count)")
        }
        for (field, column) in zip(schema.fields, columns) {
            guard field.type.matches(column.values) else {
                throw fail("column '\(field.name)' (\(field.type.rawValue)) carries \(column.values.kindName) values")
            }
            if column.repetitionLevels != nil { throw fail("column '\(field.name)' has repetition levels") }
            if let levels = column.definitionLevels {
                guard levels.count == rowCount else {
                    throw fail("column '\(field.name)' has \(levels.count) definition levels for \(rowCount) rows")
                }
                var defined = 0
                for level in levels {
                    guard level <= 1 else { throw fail("column '\(field.name)' has definition level \(level)") }
                    defined += Int(level)
                }
                guard defined == column.values.count else {
                    throw fail("column '\(field.name)' has \(column.values.count) values for \(defined) non-null rows")
                }
                if !field.nullable && defined != rowCount {
                    throw fail("column '\(field.name)' is not nullable but has \(rowCount - defined) nulls")
                }
            } else if column.values.count != rowCount {
                throw fail("column '\(field.name)' has \(column.values.count) values for \(rowCount) rows")
            }
        }
    }
}

/// What one `DeltaTable.append` committed.
public struct CommitResult: Sendable, Equatable {
    /// The table version the commit created.
    public var version: Int64
    public var filesAdded: Int
    public var bytesAdded: Int64
    public var rowsAdded: Int64
    /// The whole table after the commit (other writers' commits included).
    public var totals: TableTotals?

    public init(version: Int64, filesAdded: Int, bytesAdded: Int64, rowsAdded: Int64, totals: TableTotals? = nil) {
        self.version = version
        self.filesAdded = filesAdded
        self.bytesAdded = bytesAdded
        self.rowsAdded = rowsAdded
        self.totals = totals
    }
}

/// A table's live files, rows and bytes at one version: what its metrics show, whoever wrote it.
public struct TableTotals: Sendable, Equatable {
    public var files: Int
    public var rows: Int64
    public var bytes: Int64

    public init(_ snapshot: Snapshot) {
        files = snapshot.fileCount
        rows = snapshot.rowCount
        bytes = snapshot.byteCount
    }
}

extension ColumnValues {
    package var kindName: String {
        switch self {
        case .boolean: return "boolean"
        case .int32: return "int32"
        case .int64: return "int64"
        case .double: return "double"
        case .byteArray: return "byteArray"
        }
    }
}
