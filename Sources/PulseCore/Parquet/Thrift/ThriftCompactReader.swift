/// Parses Thrift compact-protocol structs from a byte array (Parquet footer, page headers), starting at
/// `position`. Unknown fields are skipped, so files from newer writers still parse; malformed input throws.
struct ThriftCompactReader {
    private let bytes: [UInt8]
    private(set) var position: Int
    private let end: Int
    private var lastFieldId: Int16 = 0
    private var fieldIdStack: [Int16] = []
    /// Value of the bool field whose header was read last (compact protocol stores it in the type nibble).
    private var pendingBool: Bool = false
    private var depth = 0

    /// A reader over `bytes[position..<end]`; the array is shared, not copied.
    init(bytes: [UInt8], position: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.position = position
        self.end = end ?? bytes.count
    }

    /// A field header; `type` is the compact type nibble.
    struct FieldHeader {
        var id: Int16
        var type: ThriftCompactType
    }

    // MARK: Structs

    mutating func beginStruct() throws {
        depth += 1
        if depth > 64 { throw corrupt("structs nested deeper than 64") }
        fieldIdStack.append(lastFieldId)
        lastFieldId = 0
    }

    mutating func endStruct() {
        depth -= 1
        lastFieldId = fieldIdStack.popLast() ?? 0
    }

    /// The next field header, or nil at the struct's stop byte.
    mutating func readFieldHeader() throws -> FieldHeader? {
        let byte = try readByte()
        if byte == 0 { return nil }
        guard let type = ThriftCompactType(rawValue: byte & 0x0F) else {
            throw corrupt("unknown compact type \(byte & 0x0F) at offset \(position - 1)")
        }
        let delta = byte >> 4
        let id: Int16
        if delta != 0 {
            id = lastFieldId &+ Int16(delta)
        } else {
            let raw = try readZigzag()
            guard let narrow = Int16(exactly: raw) else { throw corrupt("field id \(raw) out of range") }
            id = narrow
        }
        lastFieldId = id
        if type == .booleanTrue { pendingBool = true } else if type == .booleanFalse { pendingBool = false }
        return FieldHeader(id: id, type: type)
    }

    // MARK: Values

    /// The value of a bool field (carried by its header).
    func readBoolField(_ header: FieldHeader) -> Bool { pendingBool }

    /// A bool list element (one byte; 1 = true).
    mutating func readBoolElement() throws -> Bool { try readByte() == 1 }

    mutating func readI32() throws -> Int32 {
        let raw = try readZigzag()
        guard let value = Int32(exactly: raw) else { throw corrupt("i32 value \(raw) out of range") }
        return value
    }

    mutating func readI64() throws -> Int64 { try readZigzag() }

    mutating func readBinary() throws -> [UInt8] {
        let length = try readLength()
        let value = Array(bytes[position..<position + length])
        position += length
        return value
    }

    mutating func readString() throws -> String {
        let length = try readLength()
        let value = String(decoding: bytes[position..<position + length], as: UTF8.self)
        position += length
        return value
    }

    mutating func readDouble() throws -> Double {
        guard end - position >= 8 else { throw corrupt("truncated double") }
        var bits: UInt64 = 0
        for i in 0..<8 { bits |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
        position += 8
        return Double(bitPattern: bits)
    }

    /// A list header: element type and count.
    mutating func readListHeader() throws -> (elementType: ThriftCompactType, count: Int) {
        let byte = try readByte()
        guard let type = ThriftCompactType(rawValue: byte & 0x0F) else {
            throw corrupt("unknown list element type \(byte & 0x0F)")
        }
        guard type != .stop else { throw corrupt("list element type 0") }
        var count = Int(byte >> 4)
        if count == 15 {
            let raw = try readVarint()
            count = Int(clamping: raw)
        }
        // Every element takes at least one byte, so a larger count cannot be genuine.
        guard count <= end - position else { throw corrupt("list of \(count) elements exceeds the input") }
        return (type, count)
    }

    /// Reads a list of i32 (e.g. encodings).
    mutating func readI32List() throws -> [Int32] {
        let (_, count) = try readListHeader()
        var result: [Int32] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try readI32()) }
        return result
    }

    /// Reads a list of strings (e.g. path_in_schema).
    mutating func readStringList() throws -> [String] {
        let (_, count) = try readListHeader()
        var result: [String] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try readString()) }
        return result
    }

    /// Skips a value of the given type (for unknown or unused fields).
    mutating func skip(_ type: ThriftCompactType) throws {
        switch type {
        case .stop: break
        case .booleanTrue, .booleanFalse: break
        case .byte: _ = try readByte()
        case .i16, .i32, .i64: _ = try readVarint()
        case .double:
            guard end - position >= 8 else { throw corrupt("truncated double") }
            position += 8
        case .binary:
            position += try readLength()
        case .list, .set:
            let (elementType, count) = try readListHeader()
            // Lists and maps nest like structs: the same depth bound keeps the recursion off the stack's end.
            try beginStruct()
            for _ in 0..<count {
                if elementType == .booleanTrue || elementType == .booleanFalse {
                    _ = try readByte()
                } else {
                    try skip(elementType)
                }
            }
            endStruct()
        case .map:
            let count = Int(clamping: try readVarint())
            guard count <= end - position else { throw corrupt("map of \(count) entries exceeds the input") }
            if count > 0 {
                let types = try readByte()
                guard let keyType = ThriftCompactType(rawValue: types >> 4),
                    let valueType = ThriftCompactType(rawValue: types & 0x0F), keyType != .stop, valueType != .stop
                else { throw corrupt("bad map types") }
                try beginStruct()
                for _ in 0..<count {
                    try skip(keyType)
                    try skip(valueType)
                }
                endStruct()
            }
        case .struct:
            try beginStruct()
            while let header = try readFieldHeader() { try skip(header.type) }
            endStruct()
        }
    }

    // MARK: Primitives

    mutating func readByte() throws -> UInt8 {
        guard position < end else { throw corrupt("unexpected end of thrift data at offset \(position)") }
        let byte = bytes[position]
        position += 1
        return byte
    }

    mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw corrupt("varint longer than 10 bytes") }
        }
    }

    private mutating func readZigzag() throws -> Int64 {
        let raw = try readVarint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    private mutating func readLength() throws -> Int {
        let raw = try readVarint()
        guard raw <= UInt64(end - position) else {
            throw corrupt("binary length \(raw) exceeds the \(end - position) bytes left")
        }
        return Int(raw)
    }

    private func corrupt(_ message: String) -> ParquetError {
        .corruptFooter("thrift: \(message)")
    }
}
