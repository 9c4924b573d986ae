/// Serialises Thrift structs with the compact protocol, as Parquet's footer and page headers use:
/// field headers with delta ids, zigzag varints for i16/i32/i64, length-prefixed binary, list headers.
/// Callers write fields in increasing id order and pair every `beginStruct` with `endStruct`.
struct ThriftCompactWriter {
    private(set) var bytes: [UInt8] = []
    private var lastFieldId: Int16 = 0
    private var fieldIdStack: [Int16] = []

    init() {}

    // MARK: Fields

    /// Writes a field header; the id must exceed the previous field's id in this struct.
    mutating func writeFieldHeader(_ id: Int16, _ type: ThriftCompactType) {
        let delta = Int(id) - Int(lastFieldId)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            writeVarint(zigzag(Int64(id)))
        }
        lastFieldId = id
    }

    mutating func writeField(_ id: Int16, bool value: Bool) {
        writeFieldHeader(id, value ? .booleanTrue : .booleanFalse)
    }

    mutating func writeField(_ id: Int16, i32 value: Int32) {
        writeFieldHeader(id, .i32)
        writeI32(value)
    }

    mutating func writeField(_ id: Int16, i16 value: Int16) {
        writeFieldHeader(id, .i16)
        writeVarint(zigzag(Int64(value)))
    }

    mutating func writeField(_ id: Int16, i64 value: Int64) {
        writeFieldHeader(id, .i64)
        writeI64(value)
    }

    mutating func writeField(_ id: Int16, binary value: [UInt8]) {
        writeFieldHeader(id, .binary)
        writeBinary(value)
    }

    mutating func writeField(_ id: Int16, string value: String) {
        writeFieldHeader(id, .binary)
        writeString(value)
    }

    mutating func writeField(_ id: Int16, double value: Double) {
        writeFieldHeader(id, .double)
        writeDouble(value)
    }

    /// Starts a struct-typed field; close it with `endStruct()`.
    mutating func beginStructField(_ id: Int16) {
        writeFieldHeader(id, .struct)
        beginStruct()
    }

    /// Starts a list-typed field; then write `count` elements with the element writers.
    mutating func beginListField(_ id: Int16, elementType: ThriftCompactType, count: Int) {
        writeFieldHeader(id, .list)
        writeListHeader(elementType: elementType, count: count)
    }

    /// Writes an empty struct as a field (union members such as `StringType {}`).
    mutating func writeEmptyStructField(_ id: Int16) {
        beginStructField(id)
        endStruct()
    }

    // MARK: Structs and lists

    /// Starts a struct (top-level or list element): field ids restart from 0.
    mutating func beginStruct() {
        fieldIdStack.append(lastFieldId)
        lastFieldId = 0
    }

    /// Writes the stop byte and restores the enclosing struct's field id.
    mutating func endStruct() {
        bytes.append(ThriftCompactType.stop.rawValue)
        lastFieldId = fieldIdStack.popLast() ?? 0
    }

    mutating func writeListHeader(elementType: ThriftCompactType, count: Int) {
        if count < 15 {
            bytes.append(UInt8(count) << 4 | elementType.rawValue)
        } else {
            bytes.append(0xF0 | elementType.rawValue)
            writeVarint(UInt64(count))
        }
    }

    // MARK: Values

    mutating func writeI32(_ value: Int32) { writeVarint(zigzag(Int64(value))) }
    mutating func writeI64(_ value: Int64) { writeVarint(zigzag(value)) }

    mutating func writeBinary(_ value: [UInt8]) {
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            writeVarint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func writeDouble(_ value: Double) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A list element of type bool: one byte, 1 = true, 2 = false (as the reference implementations write it).
    mutating func writeBoolElement(_ value: Bool) {
        bytes.append(value ? 1 : 2)
    }

    mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    private func zigzag(_ v: Int64) -> UInt64 {
        UInt64(bitPattern: (v << 1) ^ (v >> 63))
    }
}
