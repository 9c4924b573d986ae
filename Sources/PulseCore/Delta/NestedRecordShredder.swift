/// A value of a nested Parquet record, for the few nested files we write (checkpoints).
package indirect enum NestedValue: Sendable {
    case null
    case bool(Bool)
    case int32(Int32)
    case int64(Int64)
    case string(String)
    /// Children in schema order (a struct, or the single child of a MAP/LIST wrapper).
    case group([NestedValue])
    /// The elements of a repeated node.
    case repeated([NestedValue])

    /// A Parquet MAP<string,string> of the standard shape: group { repeated key_value { key; value } }.
    package static func map(_ entries: [(String, String?)]) -> NestedValue {
        .group([.repeated(entries.map { .group([.string($0.0), $0.1.map { .string($0) } ?? .null]) })])
    }

    /// A Parquet LIST<string> of the standard shape: group { repeated list { element } }.
    package static func list(_ items: [String]) -> NestedValue {
        .group([.repeated(items.map { .group([.string($0)]) })])
    }

    package static func optionalString(_ text: String?) -> NestedValue { text.map { .string($0) } ?? .null }
    package static func optionalInt64(_ number: Int64?) -> NestedValue { number.map { .int64($0) } ?? .null }
    package static func optionalBool(_ flag: Bool?) -> NestedValue { flag.map { .bool($0) } ?? .null }
}

/// Turns nested records into per-leaf columns with definition and repetition levels (the Dremel
/// "striping" of the Parquet format), leaves in depth-first order as `ParquetSchema.leaves`.
package struct NestedRecordShredder {
    /// Why a record does not fit the schema.
    package struct Mismatch: Error, CustomStringConvertible, Sendable {
        package var description: String
    }

    private struct LeafBuffer {
        var path: [String]
        var type: ParquetPhysicalType
        var maxDefinitionLevel: UInt8
        var maxRepetitionLevel: UInt8
        var definitionLevels: [UInt8] = []
        var repetitionLevels: [UInt8] = []
        var booleans: [Bool] = []
        var int32s: [Int32] = []
        var int64s: [Int64] = []
        var strings = ByteArrayColumn()
    }

    private let fields: [ParquetNode]
    private var leaves: [LeafBuffer] = []
    package private(set) var rowCount = 0

    package init(fields: [ParquetNode]) {
        self.fields = fields
        for field in fields { collectLeaves(field, path: [], definition: 0, repetition: 0) }
    }

    private mutating func collectLeaves(_ node: ParquetNode, path: [String], definition: UInt8, repetition: UInt8) {
        switch node {
        case .leaf(let name, let kind, let type, _):
            let (def, rep) = NestedRecordShredder.levels(kind, definition, repetition)
            leaves.append(LeafBuffer(path: path + [name], type: type, maxDefinitionLevel: def, maxRepetitionLevel: rep))
        case .group(let name, let kind, _, let children):
            let (def, rep) = NestedRecordShredder.levels(kind, definition, repetition)
            for child in children { collectLeaves(child, path: path + [name], definition: def, repetition: rep) }
        }
    }

    /// Path, maximum definition and repetition level of each leaf, depth-first.
    package var leafShapes: [(path: [String], maxDefinitionLevel: Int, maxRepetitionLevel: Int)] {
        leaves.map { ($0.path, Int($0.maxDefinitionLevel), Int($0.maxRepetitionLevel)) }
    }

    private static func levels(_ kind: ParquetRepetition, _ def: UInt8, _ rep: UInt8) -> (UInt8, UInt8) {
        switch kind {
        case .required: return (def, rep)
        case .optional: return (def + 1, rep)
        case .repeated: return (def + 1, rep + 1)
        }
    }

    private static func leafCount(_ node: ParquetNode) -> Int {
        switch node {
        case .leaf: return 1
        case .group(_, _, _, let children): return children.reduce(0) { $0 + leafCount($1) }
        }
    }

    private static func name(_ node: ParquetNode) -> String {
        switch node {
        case .leaf(let name, _, _, _), .group(let name, _, _, _): return name
        }
    }

    /// Appends one record: one value per top-level field.
    package mutating func append(_ record: [NestedValue]) throws {
        guard record.count == fields.count else {
            throw Mismatch(description: "record has \(record.count) fields, schema \(fields.count)")
        }
        var leaf = 0
        for (field, value) in zip(fields, record) {
            try shred(field, value, repetition: 0, definition: 0, depth: 0, leaf: &leaf)
        }
        rowCount += 1
    }

    private mutating func shred(
        _ node: ParquetNode, _ value: NestedValue, repetition: UInt8, definition: UInt8, depth: UInt8,
        leaf: inout Int
    ) throws {
        let kind: ParquetRepetition
        switch node {
        case .leaf(_, let repetitionKind, _, _): kind = repetitionKind
        case .group(_, let repetitionKind, _, _): kind = repetitionKind
        }
        switch kind {
        case .required:
            if case .null = value {
                throw Mismatch(description: "required field '\(NestedRecordShredder.name(node))' is null")
            }
            try shredPresent(node, value, repetition: repetition, definition: definition, depth: depth, leaf: &leaf)
        case .optional:
            if case .null = value {
                emitNulls(node, repetition: repetition, definition: definition, leaf: &leaf)
            } else {
                try shredPresent(
                    node, value, repetition: repetition, definition: definition + 1, depth: depth, leaf: &leaf)
            }
        case .repeated:
            var items: [NestedValue] = []
            if case .repeated(let elements) = value { items = elements }
            if items.isEmpty {
                emitNulls(node, repetition: repetition, definition: definition, leaf: &leaf)
                return
            }
            let start = leaf
            for (index, item) in items.enumerated() {
                leaf = start
                try shredPresent(
                    node, item, repetition: index == 0 ? repetition : depth + 1, definition: definition + 1,
                    depth: depth + 1, leaf: &leaf)
            }
        }
    }

    /// `value` is present at this node: definition already counts the node.
    private mutating func shredPresent(
        _ node: ParquetNode, _ value: NestedValue, repetition: UInt8, definition: UInt8, depth: UInt8,
        leaf: inout Int
    ) throws {
        switch node {
        case .leaf(let name, _, _, _):
            leaves[leaf].definitionLevels.append(definition)
            leaves[leaf].repetitionLevels.append(repetition)
            switch (leaves[leaf].type, value) {
            case (.boolean, .bool(let flag)): leaves[leaf].booleans.append(flag)
            case (.int32, .int32(let number)): leaves[leaf].int32s.append(number)
            case (.int64, .int64(let number)): leaves[leaf].int64s.append(number)
            case (.byteArray, .string(let text)): leaves[leaf].strings.append(text)
            default: throw Mismatch(description: "field '\(name)' got a value of the wrong type")
            }
            leaf += 1
        case .group(let name, _, _, let children):
            guard case .group(let items) = value, items.count == children.count else {
                throw Mismatch(description: "group '\(name)' needs \(children.count) child values")
            }
            for (child, item) in zip(children, items) {
                try shred(child, item, repetition: repetition, definition: definition, depth: depth, leaf: &leaf)
            }
        }
    }

    private mutating func emitNulls(_ node: ParquetNode, repetition: UInt8, definition: UInt8, leaf: inout Int) {
        for index in leaf..<(leaf + NestedRecordShredder.leafCount(node)) {
            leaves[index].definitionLevels.append(definition)
            leaves[index].repetitionLevels.append(repetition)
        }
        leaf += NestedRecordShredder.leafCount(node)
    }

    /// The columns, in leaf order, ready for `ParquetFileWriter`.
    package func columns() -> [ColumnData] {
        leaves.map { buffer in
            let values: ColumnValues
            switch buffer.type {
            case .boolean: values = .boolean(buffer.booleans)
            case .int32: values = .int32(buffer.int32s)
            case .int64: values = .int64(buffer.int64s)
            case .double: values = .double([])
            case .byteArray: values = .byteArray(buffer.strings)
            }
            return ColumnData(
                values: values,
                definitionLevels: buffer.maxDefinitionLevel > 0 ? buffer.definitionLevels : nil,
                repetitionLevels: buffer.maxRepetitionLevel > 0 ? buffer.repetitionLevels : nil)
        }
    }
}
