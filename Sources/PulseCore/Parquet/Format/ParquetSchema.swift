/// The physical storage types this writer and reader support (Parquet `Type`).
public enum ParquetPhysicalType: Sendable, Equatable {
    case boolean, int32, int64, double, byteArray
}

/// Logical annotations written both as `LogicalType` and as the legacy `ConvertedType`.
public enum ParquetLogicalType: Sendable, Equatable {
    case none, string, date, timestampMicrosUTC, map, list
}

/// Field repetition (Parquet `FieldRepetitionType`).
public enum ParquetRepetition: Sendable, Equatable {
    case required, optional, repeated
}

/// Schema tree; leaves are columns. Root is implicit ("schema").
public indirect enum ParquetNode: Sendable, Equatable {
    case leaf(name: String, repetition: ParquetRepetition, type: ParquetPhysicalType, logical: ParquetLogicalType)
    case group(name: String, repetition: ParquetRepetition, logical: ParquetLogicalType, children: [ParquetNode])

    /// The field name of this node.
    public var name: String {
        switch self {
        case .leaf(let name, _, _, _), .group(let name, _, _, _): name
        }
    }

    /// The repetition of this node.
    public var repetition: ParquetRepetition {
        switch self {
        case .leaf(_, let repetition, _, _), .group(_, let repetition, _, _): repetition
        }
    }

    /// A standard MAP: `<repetition> group name (MAP) { repeated group key_value { required key; value } }`.
    /// Leaves: `[name, key_value, key]` and `[name, key_value, value]`.
    public static func map(
        name: String, repetition: ParquetRepetition = .optional, key: ParquetNode, value: ParquetNode
    ) -> ParquetNode {
        .group(
            name: name, repetition: repetition, logical: .map,
            children: [.group(name: "key_value", repetition: .repeated, logical: .none, children: [key, value])])
    }

    /// A standard 3-level LIST: `<repetition> group name (LIST) { repeated group list { element } }`.
    /// Leaf path: `[name, list, element]`.
    public static func list(name: String, repetition: ParquetRepetition = .optional, element: ParquetNode)
        -> ParquetNode
    {
        .group(
            name: name, repetition: repetition, logical: .list,
            children: [.group(name: "list", repetition: .repeated, logical: .none, children: [element])])
    }
}

/// One column of the file: a schema leaf with its path and level bounds, in column order.
public struct ParquetLeaf: Sendable, Equatable {
    public var path: [String]
    public var type: ParquetPhysicalType
    public var logical: ParquetLogicalType
    public var maxDefinitionLevel: Int
    public var maxRepetitionLevel: Int

    /// Creates a leaf description (normally derived from a schema via `ParquetSchema.leaves`).
    public init(
        path: [String], type: ParquetPhysicalType, logical: ParquetLogicalType, maxDefinitionLevel: Int,
        maxRepetitionLevel: Int
    ) {
        self.path = path
        self.type = type
        self.logical = logical
        self.maxDefinitionLevel = maxDefinitionLevel
        self.maxRepetitionLevel = maxRepetitionLevel
    }
}

/// The schema of a Parquet file: the root's fields. Column order is the depth-first order of the leaves.
public struct ParquetSchema: Sendable, Equatable {
    /// Deepest group nesting a file may declare (definition and repetition levels are single bytes).
    public static let maxNesting = 32

    public var fields: [ParquetNode]

    /// Creates a schema from the root's fields.
    public init(_ fields: [ParquetNode]) {
        self.fields = fields
    }

    /// The leaf columns in depth-first order, with their dotted paths and max definition/repetition levels.
    public var leaves: [ParquetLeaf] {
        var result: [ParquetLeaf] = []
        var path: [String] = []
        func visit(_ node: ParquetNode, definition: Int, repetitionLevel: Int) {
            var def = definition
            var rep = repetitionLevel
            switch node.repetition {
            case .required: break
            case .optional: def += 1
            case .repeated:
                def += 1
                rep += 1
            }
            path.append(node.name)
            switch node {
            case .leaf(_, _, let type, let logical):
                result.append(
                    ParquetLeaf(
                        path: path, type: type, logical: logical, maxDefinitionLevel: def, maxRepetitionLevel: rep))
            case .group(_, _, _, let children):
                for child in children { visit(child, definition: def, repetitionLevel: rep) }
            }
            path.removeLast()
        }
        for field in fields { visit(field, definition: 0, repetitionLevel: 0) }
        return result
    }
}
