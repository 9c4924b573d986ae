import Testing

@testable import PulseCore

@Suite struct JSONRecordScannerTests {
    static let fields = ["a", "bb", "name"]

    func outcome(_ text: String) -> JSONScanOutcome {
        var scanner = JSONRecordScanner(fieldNames: Self.fields)
        return scanner.scan(text)
    }

    func syntaxKind(_ text: String) -> JSONSyntaxError.Kind? {
        if case .notJSON(let error) = outcome(text) { return error.kind }
        return nil
    }

    @Test(arguments: [
        "{}", " {} ", "\t\r\n{\n}\n", "{\"a\":1}", "{\"a\": -0}", "{\"a\":1.5e-3, \"bb\":\"x\", \"name\":null}",
        "{\"x\":{\"y\":[1,2,{\"z\":[]}],\"w\":{}},\"a\":true}", "{\"x\":[[[[[]]]]]}",
        "{\"x\":\"\\u00e9\\ud83d\\ude00\\\\\\/\\b\\f\\n\\r\\t\\\"\"}",
        "{\"x\":\"é😀中\"}", "{\"x\":0,\"y\":-0.0,\"z\":1E+2,\"w\":1e-2,\"v\":123456789012345678901234567890}",
        "{\"\":1}", "{\"a\" : 1 , \"bb\" : [ ] }", "{\"x\":false,\"y\":true,\"z\":null}",
        "{\"x\":\"\\u0000\"}", "{\"x\":\"\u{7F}\"}", "{\"x\":\"\u{10FFFF}\"}",
    ])
    func acceptsValidObjects(_ text: String) {
        #expect(outcome(text) == .object, "\(text)")
    }

    @Test(
        arguments: [
            ("", JSONSyntaxError.Kind.unexpectedEnd), ("   ", .unexpectedEnd), ("{", .unexpectedEnd),
            ("{\"a\"", .unexpectedEnd),
            ("{\"a\":", .unexpectedEnd), ("{\"a\":1", .unexpectedEnd), ("{\"a\":1,}", .expectedKey),
            ("{,}", .expectedKey),
            ("{\"a\" 1}", .expectedColon), ("{\"a\":1 \"bb\":2}", .expectedCommaOrEnd), ("{\"a\":01}", .leadingZero),
            ("{\"a\":-}", .invalidNumber), ("{\"a\":1.}", .invalidNumber), ("{\"a\":.5}", .expectedValue),
            ("{\"a\":1e}", .invalidNumber), ("{\"a\":+1}", .expectedValue), ("{\"a\":1}x", .trailingContent),
            ("{\"a\":1}{}", .trailingContent), ("{\"x\":\"\\x\"}", .invalidEscape),
            ("{\"x\":\"\\u12G4\"}", .invalidEscape),
            ("{\"x\":\"\\ud800\"}", .loneSurrogate), ("{\"x\":\"\\udc00\"}", .loneSurrogate),
            ("{\"x\":\"\\ud800\\u0041\"}", .loneSurrogate), ("{\"x\":\"a\nb\"}", .controlCharacterInString),
            ("{\"x\":\"\t\"}", .controlCharacterInString), ("{\"x\":tru}", .unexpectedByte(UInt8(ascii: "}"))),
            ("{\"x\":nul}", .unexpectedByte(UInt8(ascii: "}"))), ("{\"x\":[1,]}", .expectedValue),
            ("{\"x\":[1 2]}", .expectedCommaOrEnd),
            ("{\"x\":{\"y\"}}", .expectedColon), ("{'a':1}", .expectedKey), ("{\"a\":NaN}", .expectedValue),
            ("{\"a\":Infinity}", .expectedValue), ("{\"a\":0x10}", .expectedCommaOrEnd), ("\u{FEFF}{}", .expectedValue),
            ("{\"a\":1}\u{0}", .trailingContent), ("{\"x\":\"abc", .unexpectedEnd),
            ("{\"x\":\"abcdefghijklmnop", .unexpectedEnd),
        ] as [(String, JSONSyntaxError.Kind)])
    func rejectsInvalidJSON(_ text: String, _ kind: JSONSyntaxError.Kind) {
        #expect(syntaxKind(text) == kind, "\(text)")
    }

    @Test func reportsByteOffsets() {
        guard case .notJSON(let error) = outcome("{\"a\": 1,  \"bb\": 01}") else {
            Issue.record("accepted")
            return
        }
        #expect(error.offset == 16)
        #expect(error.description == "number with leading zero at byte 16")
    }

    @Test func rejectsInvalidUTF8() {
        let cases: [[UInt8]] = [
            [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0xF5, 0x80, 0x80, 0x80], [0x80], [0xC3], [0xE2, 0x82], [0xFF], [0xC3, 0x41],
        ]
        for bad in cases {
            let bytes = Array("{\"x\":\"ab".utf8) + bad + Array("cd\"}".utf8)
            var scanner = JSONRecordScanner(fieldNames: Self.fields)
            let result = bytes.withUnsafeBytes { scanner.scan($0) }
            guard case .notJSON(let error) = result else {
                Issue.record("accepted \(bad)")
                continue
            }
            #expect(error.kind == .invalidUTF8 || error.kind == .unexpectedEnd, "\(bad)")
        }
    }

    @Test func classifiesNonObjects() {
        #expect(outcome("[]") == .notAnObject(.array))
        #expect(outcome(" null ") == .notAnObject(.null))
        #expect(outcome("42") == .notAnObject(.number))
        #expect(outcome("\"bike\"") == .notAnObject(.string))
        #expect(outcome("true") == .notAnObject(.boolean))
        // Invalid JSON is reported as such even when it starts like a non-object.
        #expect(syntaxKind("[1,") == .unexpectedEnd)
        #expect(syntaxKind("42 43") == .trailingContent)
    }

    @Test func findsKnownFieldsInAnyOrderAndReportsDuplicates() {
        var scanner = JSONRecordScanner(fieldNames: Self.fields)
        #expect(scanner.scan("{\"name\":\"n\",\"zz\":[1,{\"a\":2}],\"a\":5,\"bb\":true}") == .object)
        #expect(scanner.slots[0].kind == .number)
        #expect(scanner.slots[0].int32Value == 5)
        #expect(scanner.slots[1].kind == .boolean)
        #expect(scanner.slots[2].kind == .string)
        #expect(scanner.scan("{\"a\":1}") == .object)
        #expect(scanner.slots[1].kind == .absent)
        #expect(scanner.slots[2].kind == .absent)
        #expect(scanner.scan("{\"a\":1,\"bb\":2,\"a\":3}") == .duplicateField(0))
        // Escaped key names match their decoded form.
        #expect(scanner.scan("{\"n\\u0061me\":1,\"\\u0061\":2}") == .object)
        #expect(scanner.slots[0].int32Value == 2)
        #expect(scanner.slots[2].int32Value == 1)
        #expect(scanner.scan("{\"name\":1,\"n\\u0061me\":2}") == .duplicateField(2))
        // Syntax errors win over duplicates.
        #expect(syntaxKind("{\"a\":1,\"a\":2") == .unexpectedEnd)
    }

    @Test func limitsNesting() {
        let deep =
            String(repeating: "[", count: JSONRecordScanner.maxDepth)
            + String(repeating: "]", count: JSONRecordScanner.maxDepth)
        #expect(outcome("{\"x\":\(deep.dropFirst().dropLast())}") == .object)
        #expect(syntaxKind("{\"x\":\(deep)}") == .nestingTooDeep(limit: JSONRecordScanner.maxDepth))
    }

    @Test func decodesNumbers() {
        var scanner = JSONRecordScanner(fieldNames: ["n"])
        let cases: [(String, Double)] = [
            ("18.3", 18.3), ("0.0", 0), ("-0.0", -0.0), ("1e2", 100), ("1E-2", 0.01), ("12.5", 12.5),
            ("123456789012345678901234567890", 123456789012345678901234567890.0), ("0.1", 0.1),
            ("2.2250738585072014e-308", 2.2250738585072014e-308),
            ("1.7976931348623157e308", 1.7976931348623157e308), ("9007199254740993", 9007199254740992),
            ("5e-324", .leastNonzeroMagnitude),
            ("0.000000000000000000000000001", 1e-27),
            ("3.14159265358979323846264338327950288", 3.14159265358979323846264338327950288),
            ("100000000000000000000000", 1e23), ("-1013.25", -1013.25), ("0e999999", 0),
        ]
        for (text, expected) in cases {
            let bytes = Array("{\"n\":\(text)}".utf8)
            bytes.withUnsafeBytes { raw in
                #expect(scanner.scan(raw) == .object)
                let value = scanner.slots[0].doubleValue(in: raw.baseAddress!.assumingMemoryBound(to: UInt8.self))
                #expect(value.bitPattern == expected.bitPattern, "\(text) -> \(value)")
                #expect(value.bitPattern == Double(text)!.bitPattern, "\(text) differs from Double(String)")
            }
        }
    }

    @Test func decodesIntegersWithinInt32() {
        var scanner = JSONRecordScanner(fieldNames: ["n"])
        let cases: [(String, Int32?)] = [
            ("0", 0), ("-0", 0), ("2147483647", .max), ("-2147483648", .min), ("2147483648", nil), ("-2147483649", nil),
            ("99999999999999999999999", nil), ("19", 19), ("1.0", nil), ("1e2", nil),
        ]
        for (text, expected) in cases {
            #expect(scanner.scan("{\"n\":\(text)}") == .object)
            #expect(scanner.slots[0].int32Value == expected, "\(text)")
        }
    }

    @Test func decodesStringEscapesToUTF8() {
        let body = "Bo\\u0073ton \\u00e9\\u4e2d\\ud83d\\ude00 \\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\\t"
        let bytes = Array(body.utf8)
        var out: [UInt8] = []
        bytes.withUnsafeBufferPointer {
            JSONRecordScanner.decodeString($0.baseAddress!, from: 0, to: bytes.count, into: &out)
        }
        #expect(String(decoding: out, as: UTF8.self) == "Boston é中😀 \"q\" \\ / \u{8}\u{C}\n\r\t")
    }

    @Test func specialByteMaskFindsFirstSpecialByte() {
        func first(_ bytes: [UInt8]) -> Int {
            let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            let mask = JSONCursor.specialByteMask(UInt64(littleEndian: word))
            return mask == 0 ? 8 : mask.trailingZeroBitCount / 8
        }
        #expect(first(Array("abcdefgh".utf8)) == 8)
        #expect(first(Array("abc\"efgh".utf8)) == 3)
        #expect(first(Array("abcdefg\\".utf8)) == 7)
        #expect(first([0x61, 0x1F, 0x22, 0, 0, 0, 0, 0]) == 1)
        #expect(first([0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0x7E, 0xC3]) == 7)
        #expect(first([0x00, 0x61, 0x61, 0x61, 0x61, 0x61, 0x61, 0x61]) == 0)
    }
}
