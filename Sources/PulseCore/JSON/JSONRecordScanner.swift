/// The JSON type of a value, as quarantine reasons name it ("expected integer, found string").
public enum JSONValueKind: UInt8, Sendable, CustomStringConvertible {
    case absent, string, number, boolean, null, object, array

    public var description: String {
        switch self {
        case .absent: return "nothing"
        case .string: return "string"
        case .number: return "number"
        case .boolean: return "boolean"
        case .null: return "null"
        case .object: return "object"
        case .array: return "array"
        }
    }
}

/// Where one known field's value sits in the record and, for numbers, its decimal digits
/// (up to 19 significant ones) and exponent, so typed reads need no second pass.
public struct JSONFieldSlot: Sendable {
    public internal(set) var kind: JSONValueKind = .absent
    /// String value holding backslash escapes: decode before use.
    var hasEscapes = false
    /// Number written without fraction or exponent.
    var isIntegral = false
    var negative = false
    /// More than 19 significant digits: the mantissa holds the first 19.
    var mantissaTruncated = false
    /// String: first content byte after the quote; number: first byte.
    var start = 0
    /// Exclusive end (the closing quote for strings).
    var end = 0
    var mantissa: UInt64 = 0
    var exponent: Int32 = 0
}

/// What one scan of a record value found.
public enum JSONScanOutcome: Sendable, Equatable {
    /// A valid JSON object; the known fields it holds are in `slots`.
    case object
    /// The bytes are not one valid JSON text.
    case notJSON(JSONSyntaxError)
    /// Valid JSON, but the top-level value is not an object.
    case notAnObject(JSONValueKind)
    /// Valid JSON object in which a known field appears more than once (index into the field names).
    case duplicateField(Int)
}

/// Validates one record value as strict RFC 8259 JSON whose top level is an object and locates
/// a fixed set of known fields in it, in any order, in one pass and without allocating.
///
/// Contract:
/// - Accepts exactly RFC 8259 JSON texts (UTF-8, no byte order mark, whitespace around the value,
///   nothing after it). Strings must be well-formed UTF-8 without raw control characters; a
///   `\u` escape of a UTF-16 surrogate must form a pair (lone surrogates are rejected).
/// - Unknown members and nested values are validated in full and skipped; nesting is limited
///   to `maxDepth` levels (RFC 8259 § 9 lets a parser set such a limit).
/// - A known field appearing twice is `duplicateField` (RFC 8259 says names SHOULD be unique;
///   rather than pick a winner, such a record is rejected). Syntax errors take precedence.
/// - Key matching compares decoded bytes, so `"station\u005Fid"` is `station_id`.
public struct JSONRecordScanner: Sendable {
    /// Deepest nesting of arrays and objects accepted (the record object is level 1).
    public static let maxDepth = 128

    /// Field names, concatenated, and each name's start in `nameBytes` (count + 1 entries).
    let nameBytes: [UInt8]
    let nameStarts: [Int]
    /// Per known field, what the last scan found.
    public private(set) var slots: [JSONFieldSlot]

    /// - Parameter fieldNames: the members to locate, ideally in the order producers write
    ///   them: the scanner first tries the field after the last one it matched.
    public init(fieldNames: [String]) {
        var bytes: [UInt8] = []
        var starts: [Int] = [0]
        for name in fieldNames {
            bytes.append(contentsOf: Array(name.utf8))
            starts.append(bytes.count)
        }
        nameBytes = bytes
        nameStarts = starts
        slots = Array(repeating: JSONFieldSlot(), count: fieldNames.count)
    }

    /// Scans one record value; on `.object`, `slots` describe the known fields.
    public mutating func scan(_ value: UnsafeRawBufferPointer) -> JSONScanOutcome {
        guard let raw = value.baseAddress, value.count > 0 else {
            return .notJSON(JSONSyntaxError(.unexpectedEnd, at: 0))
        }
        var found = slots
        slots = []
        defer { slots = found }
        let base = raw.assumingMemoryBound(to: UInt8.self)
        return found.withUnsafeMutableBufferPointer { slotBuffer in
            nameBytes.withUnsafeBufferPointer { names in
                nameStarts.withUnsafeBufferPointer { starts in
                    var cursor = JSONCursor(base: base, count: value.count)
                    do throws(JSONSyntaxError) {
                        return try JSONRecordScanner.scanRecord(
                            &cursor, slots: slotBuffer, names: names, starts: starts)
                    } catch {
                        return .notJSON(error)
                    }
                }
            }
        }
    }

    @inline(__always)
    static func scanRecord(
        _ cursor: inout JSONCursor,
        slots: UnsafeMutableBufferPointer<JSONFieldSlot>,
        names: UnsafeBufferPointer<UInt8>,
        starts: UnsafeBufferPointer<Int>
    ) throws(JSONSyntaxError) -> JSONScanOutcome {
        let fieldCount = slots.count
        for i in 0..<fieldCount { slots[i].kind = .absent }
        cursor.skipWhitespace()
        guard try cursor.peek() == UInt8(ascii: "{") else {
            let kind = try cursor.skipValue(depth: 1)
            cursor.skipWhitespace()
            guard cursor.pos == cursor.end else { throw cursor.failure(.trailingContent) }
            return .notAnObject(kind)
        }
        cursor.pos &+= 1
        cursor.skipWhitespace()
        var duplicate = -1
        var predicted = 0
        if try cursor.peek() == UInt8(ascii: "}") {
            cursor.pos &+= 1
        } else {
            while true {
                guard try cursor.peek() == UInt8(ascii: "\"") else { throw cursor.failure(.expectedKey) }
                cursor.pos &+= 1
                var field = -1
                // Fast path: the key is the predicted field's name followed by the closing quote.
                if predicted < fieldCount {
                    let nameStart = starts[predicted]
                    let nameLength = starts[predicted &+ 1] &- nameStart
                    if cursor.pos &+ nameLength < cursor.end,
                        cursor.base[cursor.pos &+ nameLength] == UInt8(ascii: "\""),
                        memoryEqual(cursor.base + cursor.pos, names.baseAddress! + nameStart, nameLength)
                    {
                        field = predicted
                        cursor.pos &+= nameLength &+ 1
                    }
                }
                if field < 0 {
                    let keyStart = cursor.pos
                    let escaped = try cursor.scanStringBody()
                    let keyEnd = cursor.pos &- 1
                    if escaped {
                        var decoded: [UInt8] = []
                        JSONRecordScanner.decodeString(cursor.base, from: keyStart, to: keyEnd, into: &decoded)
                        field = decoded.withUnsafeBufferPointer { d in
                            matchField(d.baseAddress!, d.count, names: names, starts: starts)
                        }
                    } else {
                        field = matchField(cursor.base + keyStart, keyEnd &- keyStart, names: names, starts: starts)
                    }
                }
                cursor.skipWhitespace()
                guard try cursor.peek() == UInt8(ascii: ":") else { throw cursor.failure(.expectedColon) }
                cursor.pos &+= 1
                cursor.skipWhitespace()
                if field >= 0 {
                    if slots[field].kind != .absent && duplicate < 0 { duplicate = field }
                    try scanKnownValue(&cursor, into: &slots[field])
                    predicted = field &+ 1
                } else {
                    _ = try cursor.skipValue(depth: 2)
                }
                cursor.skipWhitespace()
                let c = try cursor.peek()
                cursor.pos &+= 1
                if c == UInt8(ascii: ",") {
                    cursor.skipWhitespace()
                    continue
                }
                if c == UInt8(ascii: "}") { break }
                cursor.pos &-= 1
                throw cursor.failure(.expectedCommaOrEnd)
            }
        }
        cursor.skipWhitespace()
        guard cursor.pos == cursor.end else { throw cursor.failure(.trailingContent) }
        return duplicate >= 0 ? .duplicateField(duplicate) : .object
    }

    @inline(__always)
    static func scanKnownValue(_ cursor: inout JSONCursor, into slot: inout JSONFieldSlot) throws(JSONSyntaxError) {
        let b = try cursor.peek()
        if b == UInt8(ascii: "\"") {
            cursor.pos &+= 1
            slot.start = cursor.pos
            slot.hasEscapes = try cursor.scanStringBody()
            slot.end = cursor.pos &- 1
            slot.kind = .string
        } else if b == UInt8(ascii: "-") || JSONCursor.isDigit(b) {
            try cursor.scanNumber(into: &slot)
        } else {
            slot.kind = try cursor.skipValue(depth: 2)
        }
    }

    @inline(__always)
    static func matchField(
        _ key: UnsafePointer<UInt8>, _ length: Int,
        names: UnsafeBufferPointer<UInt8>, starts: UnsafeBufferPointer<Int>
    ) -> Int {
        for field in 0..<(starts.count &- 1) {
            let start = starts[field]
            if starts[field &+ 1] &- start == length, memoryEqual(key, names.baseAddress! + start, length) {
                return field
            }
        }
        return -1
    }

    /// Decodes a validated string body (escapes and \u pairs to UTF-8), appending to `out`.
    static func decodeString(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, into out: inout [UInt8]) {
        var i = start
        while i < end {
            var run = i
            while run < end && base[run] != UInt8(ascii: "\\") { run &+= 1 }
            if run > i {
                out.append(contentsOf: UnsafeBufferPointer(start: base + i, count: run &- i))
                i = run
                continue
            }
            let e = base[i &+ 1]
            i &+= 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4Unchecked(base + i)
                i &+= 4
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    let low = hex4Unchecked(base + (i &+ 2))
                    i &+= 6
                    scalar = 0x10000 &+ ((scalar &- 0xD800) &<< 10) &+ (low &- 0xDC00)
                }
                appendUTF8(scalar, to: &out)
            default: out.append(e)  // " \ /
            }
        }
    }

    @inline(__always)
    static func hex4Unchecked(_ p: UnsafePointer<UInt8>) -> UInt32 {
        var value: UInt32 = 0
        for i in 0..<4 { value = value &<< 4 | (JSONCursor.hexValue(p[i]) ?? 0) }
        return value
    }

    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}

/// Byte-wise equality of two ranges of `count` bytes.
@inline(__always)
func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    var i = 0
    while i &+ 8 <= count {
        if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self)
            != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self)
        {
            return false
        }
        i &+= 8
    }
    while i < count {
        if a[i] != b[i] { return false }
        i &+= 1
    }
    return true
}
