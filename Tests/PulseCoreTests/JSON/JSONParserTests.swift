import Testing

@testable import PulseCore

@Suite struct JSONTests {
    @Test func parsesAndWritesEscapesUnicodeAndNumbers() throws {
        let text =
            #"{"s":"a\"b\\c\n\u00e9\ud83d\ude00/","i":-9223372036854775808,"d":1.5e3,"z":0.1,"n":null,"b":[true,false]}"#
        let value = try JSONParser.parse(text)
        #expect(value["s"] == .string("a\"b\\c\né😀/"))
        #expect(value["i"] == .int(Int64.min))
        #expect(value["d"] == .double(1500))
        #expect(value["n"] == .null)
        let again = try JSONParser.parse(JSONWriter.encode(value))
        #expect(again == value)
        #expect(JSONWriter.encode(.string("\u{1}\t")) == #""\u0001\t""#)
        #expect(JSONWriter.encode(.double(2)) == "2.0")
        #expect(JSONWriter.encode(.double(0.1)) == "0.1")
    }

    @Test func rejectsInvalidDocuments() {
        for text in ["{", "[1,]", "{\"a\" 1}", "tru", "\"\\x\"", "1 2", "\"\u{1}\""] {
            #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
        }
    }
}
