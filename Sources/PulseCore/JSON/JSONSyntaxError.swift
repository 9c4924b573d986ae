/// Why a record value is not valid JSON (RFC 8259), and the byte offset where the scanner
/// gave up, so a quarantine reason points at the exact spot ("not JSON: bad escape at byte 41").
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What rule of the JSON grammar the input broke.
    public enum Kind: Sendable, Equatable {
        case unexpectedEnd
        case unexpectedByte(UInt8)
        case expectedValue
        case expectedKey
        case expectedColon
        case expectedCommaOrEnd
        case invalidNumber
        case leadingZero
        case invalidEscape
        case loneSurrogate
        case controlCharacterInString
        case invalidUTF8
        case trailingContent
        case nestingTooDeep(limit: Int)
    }

    public let kind: Kind
    /// Zero-based byte offset into the record value.
    public let offset: Int

    /// An error of `kind` found at byte `offset`.
    public init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    public var description: String {
        let what: String
        switch kind {
        case .unexpectedEnd: what = "unexpected end of input"
        case .unexpectedByte(let b): what = "unexpected byte 0x\(String(b, radix: 16, uppercase: true))"
        case .expectedValue: what = "expected a value"
        case .expectedKey: what = "expected a string key"
        case .expectedColon: what = "expected ':'"
        case .expectedCommaOrEnd: what = "expected ',' or closing bracket"
        case .invalidNumber: what = "invalid number"
        case .leadingZero: what = "number with leading zero"
        case .invalidEscape: what = "invalid escape"
        case .loneSurrogate: what = "lone UTF-16 surrogate in \\u escape"
        case .controlCharacterInString: what = "unescaped control character in string"
        case .invalidUTF8: what = "invalid UTF-8"
        case .trailingContent: what = "trailing content after the value"
        case .nestingTooDeep(let limit): what = "nesting deeper than \(limit) levels"
        }
        return "\(what) at byte \(offset)"
    }
}
