// Conversion between the schema tree and parquet.thrift's flattened SchemaElement list
// (depth-first, root first), writing both LogicalType and the legacy ConvertedType.

extension ParquetSchema {
    /// The flattened SchemaElement list with the implicit root named "schema".
    func thriftElements() throws -> [ParquetFormat.SchemaElement] {
        var elements: [ParquetFormat.SchemaElement] = []
        var root = ParquetFormat.SchemaElement()
        root.name = "schema"
        root.numChildren = Int32(fields.count)
        elements.append(root)
        func visit(_ node: ParquetNode) throws {
            var e = ParquetFormat.SchemaElement()
            e.name = node.name
            e.repetitionType = node.repetition.thriftCode
            switch node {
            case .leaf(_, _, let type, let logical):
                e.type = type.thriftCode
                (e.convertedType, e.logicalType) = try logical.thriftAnnotation(leafType: type, name: node.name)
                elements.append(e)
            case .group(_, _, let logical, let children):
                guard !children.isEmpty else {
                    throw ParquetError.invalidSchema("group '\(node.name)' has no children")
                }
                e.numChildren = Int32(children.count)
                (e.convertedType, e.logicalType) = try logical.thriftAnnotation(leafType: nil, name: node.name)
                elements.append(e)
                for child in children { try visit(child) }
            }
        }
        for field in fields { try visit(field) }
        return elements
    }

    /// Rebuilds the tree from a SchemaElement list (element 0 is the root).
    init(thriftElements elements: [ParquetFormat.SchemaElement]) throws {
        guard let root = elements.first else { throw ParquetError.corruptFooter("schema has no root element") }
        var index = 1
        var depth = 0
        func readNode() throws -> ParquetNode {
            // Levels are stored in bytes and recursion uses the stack: no real schema nests this deep.
            guard depth < ParquetSchema.maxNesting else {
                throw ParquetError.corruptFooter("schema nests deeper than \(ParquetSchema.maxNesting) levels")
            }
            guard index < elements.count else {
                throw ParquetError.corruptFooter("schema ends early: a group claims more children than listed")
            }
            let e = elements[index]
            index += 1
            let repetition = try ParquetRepetition(
                thriftCode: e.repetitionType ?? ParquetFormat.RepetitionCode.required)
            let logical = ParquetLogicalType(converted: e.convertedType, logical: e.logicalType)
            if let children = e.numChildren, e.type == nil || children > 0 {
                guard children >= 0, children <= elements.count - index else {
                    throw ParquetError.corruptFooter("schema group '\(e.name)' claims \(children) children")
                }
                var nodes: [ParquetNode] = []
                depth += 1
                for _ in 0..<children { nodes.append(try readNode()) }
                depth -= 1
                return .group(name: e.name, repetition: repetition, logical: logical, children: nodes)
            }
            guard let code = e.type else {
                throw ParquetError.corruptFooter("schema element '\(e.name)' has neither a type nor children")
            }
            return .leaf(
                name: e.name, repetition: repetition, type: try ParquetPhysicalType(thriftCode: code, name: e.name),
                logical: logical)
        }
        let rootChildren = Int(root.numChildren ?? 0)
        guard rootChildren >= 0, rootChildren < elements.count else {
            throw ParquetError.corruptFooter("schema root claims \(rootChildren) children")
        }
        var fields: [ParquetNode] = []
        for _ in 0..<rootChildren { fields.append(try readNode()) }
        guard index == elements.count else {
            throw ParquetError.corruptFooter("schema lists \(elements.count) elements, the tree uses \(index)")
        }
        self.init(fields)
    }
}

extension ParquetRepetition {
    var thriftCode: Int32 {
        switch self {
        case .required: ParquetFormat.RepetitionCode.required
        case .optional: ParquetFormat.RepetitionCode.optional
        case .repeated: ParquetFormat.RepetitionCode.repeated
        }
    }

    init(thriftCode: Int32) throws {
        switch thriftCode {
        case ParquetFormat.RepetitionCode.required: self = .required
        case ParquetFormat.RepetitionCode.optional: self = .optional
        case ParquetFormat.RepetitionCode.repeated: self = .repeated
        default: throw ParquetError.unsupported("repetition type \(thriftCode)")
        }
    }
}

extension ParquetPhysicalType {
    init(thriftCode: Int32, name: String) throws {
        switch thriftCode {
        case ParquetFormat.PhysicalTypeCode.boolean: self = .boolean
        case ParquetFormat.PhysicalTypeCode.int32: self = .int32
        case ParquetFormat.PhysicalTypeCode.int64: self = .int64
        case ParquetFormat.PhysicalTypeCode.double: self = .double
        case ParquetFormat.PhysicalTypeCode.byteArray: self = .byteArray
        default: throw ParquetError.unsupported("column '\(name)' has physical type \(thriftCode) (INT96/FLOAT/FIXED)")
        }
    }
}

extension ParquetLogicalType {
    /// (ConvertedType, LogicalType) for a node; throws when the annotation does not fit the node.
    func thriftAnnotation(leafType: ParquetPhysicalType?, name: String) throws
        -> (Int32?, ParquetFormat.LogicalTypeAnnotation?)
    {
        func require(_ ok: Bool) throws {
            if !ok { throw ParquetError.invalidSchema("logical type \(self) does not fit node '\(name)'") }
        }
        switch self {
        case .none: return (nil, nil)
        case .string:
            try require(leafType == .byteArray)
            return (ParquetFormat.ConvertedTypeCode.utf8, .string)
        case .date:
            try require(leafType == .int32)
            return (ParquetFormat.ConvertedTypeCode.date, .date)
        case .timestampMicrosUTC:
            try require(leafType == .int64)
            return (ParquetFormat.ConvertedTypeCode.timestampMicros, .timestamp(isAdjustedToUTC: true, unit: .micros))
        case .map:
            try require(leafType == nil)
            return (ParquetFormat.ConvertedTypeCode.map, .map)
        case .list:
            try require(leafType == nil)
            return (ParquetFormat.ConvertedTypeCode.list, .list)
        }
    }

    /// Maps a file's annotations back; LogicalType wins over ConvertedType; unknown ones become `.none`.
    init(converted: Int32?, logical: ParquetFormat.LogicalTypeAnnotation?) {
        if let logical {
            switch logical {
            case .string: self = .string
            case .map: self = .map
            case .list: self = .list
            case .date: self = .date
            case .timestamp(true, .micros): self = .timestampMicrosUTC
            case .timestamp, .other: self = .none
            }
            return
        }
        switch converted {
        case ParquetFormat.ConvertedTypeCode.utf8: self = .string
        case ParquetFormat.ConvertedTypeCode.map: self = .map
        case ParquetFormat.ConvertedTypeCode.list: self = .list
        case ParquetFormat.ConvertedTypeCode.date: self = .date
        case ParquetFormat.ConvertedTypeCode.timestampMicros: self = .timestampMicrosUTC
        default: self = .none
        }
    }
}
