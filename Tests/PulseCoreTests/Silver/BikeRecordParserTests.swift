import Foundation
import Testing

@testable import PulseCore

@Suite struct BikeRecordParserTests {
    func parseOne(_ text: String) -> (RejectReason?, SilverBikeColumns) {
        var parser = BikeRecordParser()
        var columns = SilverBikeColumns()
        let reason = parser.parse(text, into: &columns)
        return (reason, columns)
    }

    @Test func parsesTheProducersShape() {
        let (reason, c) = parseOne(
            bikeJSON(city: "Cambridge", station: "S002", docks: 19, available: 7, occupied: 12, docksAvailable: 7))
        #expect(reason == nil)
        #expect(c.count == 1)
        #expect(c.stationIndex == [1])
        #expect(c.stationID[0] == "S002")
        #expect(c.bikeCity[0] == "Cambridge")
        #expect(c.docksTotal == [19])
        #expect(c.bikesAvailable == [7])
        #expect(c.bikesOccupied == [12])
        #expect(c.docksAvailable == [7])
        #expect(c.eventTime == [1_755_730_800_000_000])
        #expect(c.dt == [20320])
        #expect(c.availabilityRate == [7.0 / 19.0])
        #expect(c.utilizationRate == [12.0 / 19.0])
        #expect(c.ratesValid == [true])
        #expect(c.stationID.offsets == [0, 4])
        #expect(c.bikeCity.data == Array("Cambridge".utf8))
    }

    /// The same record in other spellings: every one must give the same row.
    static let equivalentSpellings: [String] = [
        bikeJSON(),
        "{\"event_time\":\"2025-08-20T23:00:00Z\",\"docks_available\":7,\"bikes_occupied\":12,\"bikes_available\":7,\"docks_total\":19,\"station_id\":\"S001\",\"bike_city\":\"Boston\"}",
        " \n\t{ \"station_id\" : \"S001\" ,\r\n \"bike_city\" :\"Boston\", \"docks_total\":19 ,\"bikes_available\":\t7,\"bikes_occupied\":12,\"docks_available\":7,\"event_time\":\"2025-08-20T23:00:00Z\" }\n ",
        "{\"extra\":{\"nested\":[1,2.5e3,{\"deep\":[true,false,null]}],\"s\":\"x\\\"y\"},\"bike_city\":\"Boston\",\"station_id\":\"S001\",\"docks_total\":19,\"bikes_available\":7,\"bikes_occupied\":12,\"docks_available\":7,\"event_time\":\"2025-08-20T23:00:00Z\",\"tail\":[]}",
        "{\"bike_city\":\"Bo\\u0073ton\",\"station_id\":\"\\u0053001\",\"docks_total\":19,\"bikes_available\":7,\"bikes_occupied\":12,\"docks_available\":7,\"event_time\":\"2025-08-20T23:00:00\\u005A\"}",
        "{\"bike_city\":\"Boston\",\"st\\u0061tion_id\":\"S001\",\"docks_total\":19,\"bikes_available\":7,\"bikes_occupied\":12,\"docks_available\":7,\"event_time\":\"2025-08-21T01:00:00+02:00\"}",
        "{\"bike_city\":\"Boston\",\"station_id\":\"S001\",\"docks_total\":19,\"bikes_available\":7,\"bikes_occupied\":12,\"docks_available\":7,\"event_time\":\"2025-08-20t23:00:00.000z\",\"docks_total_x\":-1}",
    ]

    @Test(arguments: equivalentSpellings)
    func acceptsEquivalentSpellings(_ text: String) {
        let (reason, c) = parseOne(text)
        #expect(reason == nil, "\(text)")
        let (_, reference) = parseOne(bikeJSON())
        #expect(c.stationIndex == reference.stationIndex)
        #expect(c.stationID == reference.stationID)
        #expect(c.bikeCity == reference.bikeCity)
        #expect(c.docksTotal == reference.docksTotal)
        #expect(c.bikesAvailable == reference.bikesAvailable)
        #expect(c.bikesOccupied == reference.bikesOccupied)
        #expect(c.eventTime == reference.eventTime)
        #expect(c.availabilityRate == reference.availabilityRate)
    }

    @Test func decodesUnicodeCityNames() {
        let (reason, c) = parseOne(bikeJSON(city: "Montr\\u00e9al \\ud83d\\udeb2 \\\"Nord\\\""))
        #expect(reason == nil)
        #expect(c.bikeCity[0] == "Montréal 🚲 \"Nord\"")
        let (raw, c2) = parseOne(bikeJSON(city: "Zürich 🚲"))
        #expect(raw == nil)
        #expect(c2.bikeCity[0] == "Zürich 🚲")
    }

    @Test func zeroDocksGiveNullRates() {
        let (reason, c) = parseOne(bikeJSON(docks: 0, available: 0, occupied: 0, docksAvailable: 0))
        #expect(reason == nil)
        #expect(c.ratesValid == [false])
        #expect(c.availabilityRate(at: 0) == nil)
        #expect(c.utilizationRate(at: 0) == nil)
        let (_, full) = parseOne(bikeJSON(docks: 10, available: 10, occupied: 0, docksAvailable: 0))
        #expect(full.availabilityRate(at: 0) == 1.0)
        #expect(full.utilizationRate(at: 0) == 0.0)
    }

    @Test func negativeZeroIsAnInteger() {
        let (reason, c) = parseOne(
            bikeJSON(docks: 19, available: 0, occupied: 0).replacingOccurrences(
                of: "\"bikes_available\": 0", with: "\"bikes_available\": -0"))
        #expect(reason == nil)
        #expect(c.bikesAvailable == [0])
    }

    /// Every rule, with the exact reason text the quarantine table gets.
    static let rejections: [(String, String, String)] = [
        (
            "{\"bike_city\": \"Boston\", \"station_id\": \"S001\"", "not_json",
            "not JSON: unexpected end of input at byte 44"
        ),
        ("[]", "not_object", "not an object: found array"),
        ("null", "not_object", "not an object: found null"),
        ("42", "not_object", "not an object: found number"),
        ("\"bike\"", "not_object", "not an object: found string"),
        ("{}", "missing_field", "missing field bike_city"),
        (
            bikeJSON().replacingOccurrences(of: "\"bikes_available\": 7, ", with: ""), "missing_field",
            "missing field bikes_available"
        ),
        (
            bikeJSON().replacingOccurrences(of: ", \"event_time\": \"2025-08-20T23:00:00Z\"", with: ""),
            "missing_field", "missing field event_time"
        ),
        (
            bikeJSON().replacingOccurrences(of: "\"docks_total\": 19", with: "\"docks_total\": \"19\""), "wrong_type",
            "wrong type docks_total: expected integer, found string"
        ),
        (
            bikeJSON().replacingOccurrences(of: "\"docks_total\": 19", with: "\"docks_total\": 19.5"), "wrong_type",
            "wrong type docks_total: expected integer, found number with fraction or exponent"
        ),
        (
            bikeJSON().replacingOccurrences(of: "\"docks_total\": 19", with: "\"docks_total\": 19.0"), "wrong_type",
            "wrong type docks_total: expected integer, found number with fraction or exponent"
        ),
        (
            bikeJSON().replacingOccurrences(of: "\"docks_total\": 19", with: "\"docks_total\": 1.9e1"), "wrong_type",
            "wrong type docks_total: expected integer, found number with fraction or exponent"
        ),
        (
            bikeJSON().replacingOccurrences(of: "\"bikes_available\": 7", with: "\"bikes_available\": \"twenty\""),
            "wrong_type", "wrong type bikes_available: expected integer, found string"
        ),
        (
            bikeJSON().replacingOccurrences(of: "\"bikes_occupied\": 12", with: "\"bikes_occupied\": null"),
            "wrong_type", "wrong type bikes_occupied: expected integer, found null"
        ),
        (
            bikeJSON().replacingOccurrences(of: "\"docks_available\": 7", with: "\"docks_available\": [7]"),
            "wrong_type", "wrong type docks_available: expected integer, found array"
        ),
        (
            bikeJSON().replacingOccurrences(of: "\"bike_city\": \"Boston\"", with: "\"bike_city\": {}"), "wrong_type",
            "wrong type bike_city: expected string, found object"
        ),
        (
            bikeJSON().replacingOccurrences(of: "\"station_id\": \"S001\"", with: "\"station_id\": 1"), "wrong_type",
            "wrong type station_id: expected string, found number"
        ),
        (
            bikeJSON().replacingOccurrences(
                of: "\"event_time\": \"2025-08-20T23:00:00Z\"", with: "\"event_time\": 1755730800"), "wrong_type",
            "wrong type event_time: expected string, found number"
        ),
        (
            bikeJSON().replacingOccurrences(of: "\"docks_total\": 19", with: "\"docks_total\": true"), "wrong_type",
            "wrong type docks_total: expected integer, found boolean"
        ),
        (
            bikeJSON().replacingOccurrences(of: "\"docks_total\": 19", with: "\"docks_total\": 2147483648"),
            "integer_out_of_range", "integer out of range docks_total: must fit int32"
        ),
        (
            bikeJSON().replacingOccurrences(
                of: "\"bikes_available\": 7", with: "\"bikes_available\": -99999999999999999999"),
            "integer_out_of_range", "integer out of range bikes_available: must fit int32"
        ),
        (bikeJSON(station: "S999"), "unknown_station", "unknown station \"S999\""),
        (bikeJSON(station: "s001"), "unknown_station", "unknown station \"s001\""),
        (bikeJSON(station: "S\\u0030\\u0039\\u0039"), "unknown_station", "unknown station \"S099\""),
        (
            bikeJSON(time: "yesterday afternoon"), "unparsable_event_time",
            "unparsable event_time \"yesterday afternoon\": expected RFC 3339 with Z or offset"
        ),
        (
            bikeJSON(time: "2025-02-30T10:00:00Z"), "unparsable_event_time",
            "unparsable event_time \"2025-02-30T10:00:00Z\": expected RFC 3339 with Z or offset"
        ),
        (
            bikeJSON(time: "2025-08-20T23:00:00"), "unparsable_event_time",
            "unparsable event_time \"2025-08-20T23:00:00\": expected RFC 3339 with Z or offset"
        ),
        (bikeJSON(docks: -1, available: 0, occupied: 0), "negative_count", "negative count docks_total: -1"),
        (bikeJSON(available: -2), "negative_count", "negative count bikes_available: -2"),
        (bikeJSON(occupied: -3), "negative_count", "negative count bikes_occupied: -3"),
        (bikeJSON(docksAvailable: -4), "negative_count", "negative count docks_available: -4"),
        (
            bikeJSON(docks: 19, available: 20, occupied: 0), "count_above_docks_total",
            "bikes_available out of range 0...docks_total: 20 > 19"
        ),
        (
            bikeJSON(docks: 19, available: 0, occupied: 25), "count_above_docks_total",
            "bikes_occupied out of range 0...docks_total: 25 > 19"
        ),
        (
            bikeJSON(docks: 0, available: 1, occupied: 0), "count_above_docks_total",
            "bikes_available out of range 0...docks_total: 1 > 0"
        ),
        (bikeJSON() + bikeJSON(), "not_json", "not JSON: trailing content after the value at byte 168"),
        (
            bikeJSON().replacingOccurrences(
                of: "\"docks_total\": 19", with: "\"docks_total\": 19, \"docks_total\": 19"), "duplicate_field",
            "duplicate field docks_total"
        ),
        (
            bikeJSON().replacingOccurrences(of: "\"docks_total\": 19", with: "\"docks_total\": 019"), "not_json",
            "not JSON: number with leading zero at byte 61"
        ),
        (bikeJSON(city: "Bos\\qton"), "not_json", "not JSON: invalid escape at byte 18"),
        (bikeJSON(city: "Bos\\ud800ton"), "not_json", "not JSON: lone UTF-16 surrogate in \\u escape at byte 18"),
        (
            bikeJSON(docks: 1001, available: 0, occupied: 0), "implausible_docks_total",
            "implausible docks_total 1001: outside 0...1000"
        ),
        (
            bikeJSON(time: "2200-01-01T00:00:00Z"), "implausible_event_time",
            "implausible event_time 2200-01-01T00:00:00Z: outside 1970-01-01T00:00:00Z..<2200-01-01T00:00:00Z"
        ),
    ]

    @Test(arguments: rejections)
    func rejectsWithReason(_ text: String, _ rule: String, _ reason: String) {
        let (result, columns) = parseOne(text)
        #expect(result?.rule == rule, "\(text)")
        #expect(result?.description == reason, "\(text)")
        #expect(columns.count == 0)
        #expect(columns.stationID.offsets == [0])
    }

    @Test func rejectsInvalidUTF8InStrings() {
        var bytes = Array(bikeJSON(city: "Bost#n").utf8)
        bytes[bytes.firstIndex(of: UInt8(ascii: "#"))!] = 0xFF
        var parser = BikeRecordParser()
        var columns = SilverBikeColumns()
        #expect(parser.parse(bytes, into: &columns)?.description == "not JSON: invalid UTF-8 at byte 19")
    }

    @Test func aRejectLeavesColumnsAsTheyWere() {
        var parser = BikeRecordParser()
        var columns = SilverBikeColumns()
        columns.reserveCapacity(8)
        #expect(parser.parse(bikeJSON(city: "A"), into: &columns) == nil)
        #expect(parser.parse(bikeJSON(city: "Bcity", occupied: 40), into: &columns) != nil)
        #expect(parser.parse(bikeJSON(city: "C", station: "S030"), into: &columns) == nil)
        #expect(columns.count == 2)
        #expect(columns.bikeCity[0] == "A")
        #expect(columns.bikeCity[1] == "C")
        #expect(columns.stationIndex == [0, 29])
        #expect(columns.ratesValid.count == 2)
        columns.removeAll()
        #expect(columns.count == 0)
        #expect(columns.bikeCity.offsets == [0])
    }

    /// Random byte mutations of valid records: the parser never crashes, and whatever it
    /// accepts Foundation's JSONSerialization also accepts as an object with the same values.
    @Test func mutatedRecordsNeverCrashAndAcceptsAgreeWithFoundation() throws {
        // PULSE_FUZZ_ITERATIONS / PULSE_FUZZ_SEED run it longer or elsewhere by hand.
        let environment = ProcessInfo.processInfo.environment
        let iterations = environment["PULSE_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? 20000
        var rng = SeededGenerator(seed: environment["PULSE_FUZZ_SEED"].flatMap { UInt64($0) } ?? 20250820)
        var parser = BikeRecordParser()
        var columns = SilverBikeColumns()
        let seeds =
            Self.equivalentSpellings + [
                bikeJSON(city: "Montr\\u00e9al"), bikeJSON(city: "Zürich"),
                bikeJSON(docks: 0, available: 0, occupied: 0),
            ]
        let alphabet =
            Array("{}[]\":,\\ \t\n0123456789-+.eEtrufalsn\u{0}\u{1F}aZ/".utf8) + [0x80, 0xC3, 0xA9, 0xFF, 0xED]
        var accepted = 0
        var notJSONButFoundationAccepts: [String] = []
        for iteration in 0..<iterations {
            var bytes = Array(seeds[iteration % seeds.count].utf8)
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let position = Int.random(in: 0..<max(bytes.count, 1), using: &rng)
                switch Int.random(in: 0..<5, using: &rng) {
                case 0: if !bytes.isEmpty { bytes[position] = alphabet.randomElement(using: &rng)! }
                case 1: bytes.insert(alphabet.randomElement(using: &rng)!, at: position)
                case 2: if !bytes.isEmpty { bytes.remove(at: position) }
                case 3: bytes = Array(bytes[0..<position])
                default:
                    let end = min(bytes.count, position + Int.random(in: 1...12, using: &rng))
                    bytes.insert(
                        contentsOf: Array(bytes[position..<end]), at: Int.random(in: 0...bytes.count, using: &rng))
                }
            }
            let before = columns.count
            let reason = parser.parse(bytes, into: &columns)
            let foundation = try? JSONSerialization.jsonObject(with: Data(bytes), options: [])
            if reason == nil {
                accepted += 1
                guard let object = foundation as? [String: Any] else {
                    Issue.record("accepted what Foundation rejects: \(String(decoding: bytes, as: UTF8.self))")
                    continue
                }
                let row = before
                #expect((object["docks_total"] as? NSNumber)?.int32Value == columns.docksTotal[row])
                #expect((object["bikes_available"] as? NSNumber)?.int32Value == columns.bikesAvailable[row])
                #expect((object["bikes_occupied"] as? NSNumber)?.int32Value == columns.bikesOccupied[row])
                #expect((object["docks_available"] as? NSNumber)?.int32Value == columns.docksAvailable[row])
                #expect(object["bike_city"] as? String == columns.bikeCity[row])
                #expect(object["station_id"] as? String == columns.stationID[row])
            } else if case .notJSON(let error) = reason, foundation != nil {
                // Foundation accepts a trailing comma ("{...,}", "[1,]"); RFC 8259 does not.
                var before = error.offset - 1
                while before > 0, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[before]) { before -= 1 }
                let trailingComma =
                    before >= 0 && bytes[before] == UInt8(ascii: ",")
                    && error.offset < bytes.count
                    && [UInt8(ascii: "}"), UInt8(ascii: "]")].contains(bytes[error.offset])
                if !trailingComma { notJSONButFoundationAccepts.append(String(decoding: bytes, as: UTF8.self)) }
            }
        }
        #expect(accepted > 100, "too few accepts (\(accepted)) to cross-check")
        // Foundation accepts nothing we call invalid JSON, except what we reject on purpose.
        #expect(notJSONButFoundationAccepts.isEmpty, "\(notJSONButFoundationAccepts.prefix(5))")
    }

    /// A random valid JSON value: nested containers, escaped and non-ASCII strings, numbers in
    /// every form, literals, with random whitespace.
    static func randomJSON(depth: Int, _ rng: inout SeededGenerator) -> String {
        let ws = ["", " ", "\n", "\t ", "\r\n"]
        func space(_ rng: inout SeededGenerator) -> String { ws.randomElement(using: &rng)! }
        let pick = depth > 3 ? Int.random(in: 0..<4, using: &rng) : Int.random(in: 0..<6, using: &rng)
        switch pick {
        case 0:
            let pieces = [
                "a", "\\\"", "\\\\", "\\n", "\\u00e9", "\\ud83d\\ude00", "é", "中", "😀", "\\/", " ", "\\u0000",
            ]
            return "\""
                + (0..<Int.random(in: 0...6, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
                + "\""
        case 1:
            let numbers = [
                "0", "-0", "1", "-12", "3.25", "-0.5e10", "1E+2", "6.02e-23", "123456789012345678901234567890", "1e308",
            ]
            return numbers.randomElement(using: &rng)!
        case 2: return ["true", "false", "null"].randomElement(using: &rng)!
        case 3: return "\"s\""
        case 4:
            let members = (0..<Int.random(in: 0...3, using: &rng)).map { i in
                "\"k\(i)\"" + space(&rng) + ":" + space(&rng) + randomJSON(depth: depth + 1, &rng)
            }
            return "{" + space(&rng) + members.joined(separator: "," + space(&rng)) + space(&rng) + "}"
        default:
            let items = (0..<Int.random(in: 0...3, using: &rng)).map { _ in randomJSON(depth: depth + 1, &rng) }
            return "[" + space(&rng) + items.joined(separator: space(&rng) + "," + space(&rng)) + space(&rng) + "]"
        }
    }

    @Test func randomValidExtraFieldsAreSkipped() throws {
        var rng = SeededGenerator(seed: 4242)
        var parser = BikeRecordParser()
        var columns = SilverBikeColumns()
        let members = [
            "\"bike_city\": \"Boston\"", "\"station_id\": \"S007\"", "\"docks_total\": 19", "\"bikes_available\": 7",
            "\"bikes_occupied\": 12", "\"docks_available\": 7", "\"event_time\": \"2025-08-20T23:00:00Z\"",
        ]
        for i in 0..<1500 {
            var all = members.shuffled(using: &rng)
            for j in 0..<Int.random(in: 1...3, using: &rng) {
                all.insert(
                    "\"extra\(j)\": " + Self.randomJSON(depth: 0, &rng), at: Int.random(in: 0...all.count, using: &rng))
            }
            let text = "{" + all.joined(separator: ",\n ") + "}"
            let reason = parser.parse(text, into: &columns)
            #expect(reason == nil, "\(text)")
            let foundation = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            #expect(foundation?["station_id"] as? String == "S007")
            #expect(columns.count == i + 1)
        }
        #expect(Set(columns.stationIndex) == [6])
        #expect(Set(columns.bikesOccupied) == [12])
    }
}
