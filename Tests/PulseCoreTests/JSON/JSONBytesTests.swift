import Testing

@testable import PulseCore

@Suite struct JSONBytesTests {
    func text(_ body: (inout [UInt8]) -> Void) -> String {
        var out: [UInt8] = []
        body(&out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test(arguments: [
        (12.0, "12.0"), (3.5, "3.5"), (-0.4, "-0.4"), (0.0, "0.0"), (1015.0, "1015.0"), (-12.3, "-12.3"),
        (0.1, "0.1"), (99.95, "100.0"), (17.26, "17.3"), (-7.0, "-7.0"),
    ])
    func writesOneDecimalLikePythonRepr(value: Double, expected: String) {
        #expect(text { JSONBytes.appendOneDecimal(value, to: &$0) } == expected)
    }

    @Test func writesIntegers() {
        #expect(text { JSONBytes.appendInt(0, to: &$0) } == "0")
        #expect(text { JSONBytes.appendInt(-5, to: &$0) } == "-5")
        #expect(text { JSONBytes.appendInt(1035, to: &$0) } == "1035")
        #expect(text { JSONBytes.appendInt(Int.max, to: &$0) } == String(Int.max))
        #expect(text { JSONBytes.appendInt(Int.min, to: &$0) } == String(Int.min))
    }

    @Test func escapesStringsAsciiOnly() {
        #expect(text { JSONBytes.appendString("Fall River", to: &$0) } == "\"Fall River\"")
        #expect(text { JSONBytes.appendString("a\"b\\c\nd", to: &$0) } == "\"a\\\"b\\\\c\\nd\"")
        #expect(text { JSONBytes.appendString("Montréal\u{1}", to: &$0) } == "\"Montr\\u00e9al\\u0001\"")
    }
}
