/// Parses JSON text into `JSONValue` (exact Int64 for integers, key order kept) for the Delta log,
/// `_last_checkpoint`, stats and epochs.json. It reads through `JSONCursor`, the same RFC 8259 lexer as
/// the record scanner: numbers without leading zeros, strings of well-formed UTF-8 with paired
/// surrogates, nothing after the document.
package enum JSONParser {
    /// Why a document is not valid JSON, with the byte offset of the problem.
    package typealias Failure = JSONSyntaxError

    /// Deepest nesting accepted (a schemaString nests one level per struct, array or map type).
    static let maxDepth = 512

    /// Parses one complete JSON document from `bytes[range]`; trailing non-space bytes are an error.
    package static func parse(_ bytes: [UInt8], range: Range<Int>? = nil) throws(JSONSyntaxError) -> JSONValue {
        let range = range ?? 0..<bytes.count
        return try bytes.withUnsafeBufferPointer { (buffer) throws(JSONSyntaxError) -> JSONValue in
            guard let base = buffer.baseAddress, !range.isEmpty else { throw JSONSyntaxError(.unexpectedEnd, at: 0) }
            var cursor = JSONCursor(base: base + range.lowerBound, count: range.count)
            cursor.skipWhitespace()
            let value = try parseValue(&cursor, depth: 1)
            cursor.skipWhitespace()
            guard cursor.pos == cursor.end else { throw cursor.failure(.trailingContent) }
            return value
        }
    }

    /// Parses a JSON document given as text.
    package static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    private static func parseValue(_ cursor: inout JSONCursor, depth: Int) throws(JSONSyntaxError) -> JSONValue {
        switch try cursor.peek() {
        case UInt8(ascii: "{"):
            guard depth <= maxDepth else { throw cursor.failure(.nestingTooDeep(limit: maxDepth)) }
            cursor.pos &+= 1
            cursor.skipWhitespace()
            var members: [JSONMember] = []
            if try cursor.peek() == UInt8(ascii: "}") {
                cursor.pos &+= 1
                return .object(members)
            }
            while true {
                guard try cursor.peek() == UInt8(ascii: "\"") else { throw cursor.failure(.expectedKey) }
                let key = try parseString(&cursor)
                cursor.skipWhitespace()
                guard try cursor.peek() == UInt8(ascii: ":") else { throw cursor.failure(.expectedColon) }
                cursor.pos &+= 1
                cursor.skipWhitespace()
                members.append(JSONMember(key, try parseValue(&cursor, depth: depth + 1)))
                cursor.skipWhitespace()
                switch try cursor.peek() {
                case UInt8(ascii: ","):
                    cursor.pos &+= 1
                    cursor.skipWhitespace()
                case UInt8(ascii: "}"):
                    cursor.pos &+= 1
                    return .object(members)
                default:
                    throw cursor.failure(.expectedCommaOrEnd)
                }
            }
        case UInt8(ascii: "["):
            guard depth <= maxDepth else { throw cursor.failure(.nestingTooDeep(limit: maxDepth)) }
            cursor.pos &+= 1
            cursor.skipWhitespace()
            var items: [JSONValue] = []
            if try cursor.peek() == UInt8(ascii: "]") {
                cursor.pos &+= 1
                return .array(items)
            }
            while true {
                items.append(try parseValue(&cursor, depth: depth + 1))
                cursor.skipWhitespace()
                switch try cursor.peek() {
                case UInt8(ascii: ","):
                    cursor.pos &+= 1
                    cursor.skipWhitespace()
                case UInt8(ascii: "]"):
                    cursor.pos &+= 1
                    return .array(items)
                default:
                    throw cursor.failure(.expectedCommaOrEnd)
                }
            }
        case UInt8(ascii: "\""):
            return .string(try parseString(&cursor))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            var slot = JSONFieldSlot()
            try cursor.scanNumber(into: &slot)
            return number(slot, base: cursor.base)
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            let start = cursor.pos
            switch try cursor.scanLiteral() {
            case .null: return .null
            default: return .bool(cursor.base[start] == UInt8(ascii: "t"))
            }
        default:
            throw cursor.failure(.expectedValue)
        }
    }

    /// The string at the cursor's opening quote, escapes decoded.
    private static func parseString(_ cursor: inout JSONCursor) throws(JSONSyntaxError) -> String {
        cursor.pos &+= 1
        let start = cursor.pos
        let escaped = try cursor.scanStringBody()
        let end = cursor.pos &- 1
        guard escaped else {
            return String(decoding: UnsafeBufferPointer(start: cursor.base + start, count: end - start), as: UTF8.self)
        }
        var decoded: [UInt8] = []
        JSONRecordScanner.decodeString(cursor.base, from: start, to: end, into: &decoded)
        return String(decoding: decoded, as: UTF8.self)
    }

    /// An integer written without fraction or exponent that fits Int64 stays exact; any other number is
    /// the nearest Double.
    private static func number(_ slot: JSONFieldSlot, base: UnsafePointer<UInt8>) -> JSONValue {
        if slot.isIntegral, !slot.mantissaTruncated {
            if !slot.negative, slot.mantissa <= UInt64(Int64.max) { return .int(Int64(slot.mantissa)) }
            if slot.negative, slot.mantissa <= UInt64(Int64.max) + 1 {
                return .int(Int64(bitPattern: 0 &- slot.mantissa))
            }
        }
        return .double(slot.doubleValue(in: base))
    }
}
