import Foundation
import PulseCore
import Testing

@testable import PulseProducers

@Suite struct BikeRecordGeneratorTests {
    let start: Int64 = 1_755_730_800_000_000

    @Test func roundHasOneGoodRecordPerStationWithExactShape() throws {
        var g = BikeRecordGenerator(seed: 10, startMicros: start)
        let round = g.nextBikeRound(at: start)
        #expect(round.count == 30)
        #expect(round.map { String(decoding: $0.key, as: UTF8.self) } == StationCatalogue.standard.stations.map(\.id))
        for record in round {
            let object = try PayloadCheck.validate(record.value, kind: .bike).get()
            #expect(object.count == 7)
            let station = StationCatalogue.standard.station(withID: object["station_id"] as! String)!
            #expect(object["bike_city"] as? String == station.city)
            #expect(object["docks_total"] as? Int == station.docksTotal)
            // Key order and separators are Python json.dumps' (", " / ": ").
            #expect(
                String(decoding: record.value, as: UTF8.self).hasPrefix(
                    "{\"bike_city\": \"\(station.city)\", \"station_id\": "))
        }
    }

    @Test func perEventStepPicksStationsUniformly() {
        var g = BikeRecordGenerator(seed: 10, startMicros: start)
        var counts: [String: Int] = [:]
        for i in 0..<30_000 {
            counts[
                String(decoding: g.nextBikeRecord(at: start + Int64(i) * 1_000_000).key, as: UTF8.self), default: 0] +=
                1
        }
        #expect(counts.count == 30)
        #expect(counts.values.allSatisfy { $0 > 800 && $0 < 1200 })
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: PythonCheck.python)))
    func payloadsAreByteIdenticalToPythonJsonDumps() throws {
        var bikes = BikeRecordGenerator(seed: 12, startMicros: start)
        var weather = WeatherRecordGenerator(seed: 12, startMicros: start)
        var lines: [UInt8] = []
        for i in 0..<3000 {
            let t = start + Int64(i) * 30_000_000
            lines += bikes.nextBikeRecord(at: t).value + [10] + weather.nextWeatherRecord(at: t).value + [10]
        }
        #expect(try PythonCheck.mismatches(lines) == 0)
    }
}

/// Re-serializes each line with the project venv's Python `json.dumps(json.loads(line))`.
enum PythonCheck {
    /// `make test` sets PULSE_PYTHON; otherwise the repository's own virtualenv.
    static let python: String =
        ProcessInfo.processInfo.environment["PULSE_PYTHON"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".venv/bin/python").path

    static func mismatches(_ jsonLines: [UInt8]) throws -> Int {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-producers-\(getpid()).jsonl")
        try Data(jsonLines).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            "-c",
            "import json,sys\nbad=0\nfor l in open(sys.argv[1]):\n l=l.rstrip('\\n')\n bad+=json.dumps(json.loads(l))!=l\nprint(bad)",
            input.path,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Int(String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }
}
