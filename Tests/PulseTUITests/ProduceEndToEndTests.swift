import Foundation
import Logging
import PulseCore
import Testing

/// `pulse-tui broker` in one process, `pulse-tui produce` in another, read back with our partition reader:
/// the way the original stack's containers ran, with real Kafka protocol between them.
@Suite(.serialized) struct ProduceEndToEndTests {
    /// A `pulse-tui broker` process and its bootstrap address; killed at the end of the test.
    final class BrokerProcess {
        let process = Process()
        let address: String

        init(partitions: Int = 3) throws {
            process.executableURL = URL(fileURLWithPath: PulseBinary.path)
            process.arguments = ["broker", "--partitions", "\(partitions)", "--duration", "120"]
            process.currentDirectoryURL = PulseBinary.temporaryDirectory()
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let line = pipe.fileHandleForReading.availableLine()
            address = line.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        deinit {
            process.terminate()
            process.waitUntilExit()
        }
    }

    static func readAll(_ broker: String, topic: String, partitions: Int) throws -> [KafkaRecordBatch] {
        let reader = try TopicReader(brokers: broker, topic: topic, health: BrokerHealth(), logger: Logger(label: "t"))
        #expect(reader.partitionCount == partitions)
        try reader.assign(offsets: try reader.queryOffsets(earliest: true))
        let high = try reader.queryOffsets(earliest: false)
        var all = KafkaRecordBatch(topic: topic)
        let outcome = reader.read(targets: high, maxRecords: .max, into: &all)
        #expect(outcome.gaps.isEmpty)
        #expect(reader.positions == high)
        // Per partition, in offset order (records of different partitions interleave in one read).
        return (0..<partitions).map { p in
            var batch = KafkaRecordBatch(topic: topic)
            for row in 0..<all.count where all.partitions[row] == Int32(p) { batch.append(row: row, of: all) }
            return batch
        }
    }

    static func produce(_ broker: String, seed: Int, speed: Int) throws -> (bike: Int, weather: Int) {
        let result = try PulseBinary.run(
            [
                "produce", "--brokers", broker, "--seed", "\(seed)", "--start", "2025-08-20T06:00:00Z", "--speed",
                "\(speed)", "--bike-interval", "0.01", "--weather-interval", "0.02", "--duration", "3",
                "--status-interval", "1",
            ], timeout: 30)
        #expect(result.status == 0, "\(result.stderr)")
        func delivered(_ topic: String) -> Int {
            let line = result.stdout.split(separator: "\n").first { $0.contains("  \(topic): produced") } ?? ""
            let field = line.split(separator: ",").first { $0.contains("delivered") } ?? ""
            return Int(field.split(separator: " ").last ?? "") ?? -1
        }
        #expect(result.stdout.contains("failed 0"))
        return (delivered("bike"), delivered("weather"))
    }

    @Test func everyProducedEventIsReadBackValidAndKeyedByStation() throws {
        let broker = try BrokerProcess()
        let counts = try Self.produce(broker.address, seed: 11, speed: 60)
        #expect(counts.bike > 100)
        #expect(counts.weather > 50)
        let stations = Set((1...30).map { String(format: "S%03d", $0) })
        for (topic, expected) in [("bike", counts.bike), ("weather", counts.weather)] {
            let batches = try Self.readAll(broker.address, topic: topic, partitions: 3)
            #expect(batches.map(\.count).reduce(0, +) == expected)
            var stationPartition: [String: Int32] = [:]
            for batch in batches {
                for row in 0..<batch.count {
                    let object =
                        try JSONSerialization.jsonObject(with: Data(batch.values.bytes(at: row))) as! [String: Any]
                    let station = object["station_id"] as! String
                    #expect(stations.contains(station))
                    #expect(batch.keys.string(at: row) == station)
                    // a station's records share one partition (Gold relies on it)
                    #expect(stationPartition[station, default: batch.partitions[row]] == batch.partitions[row])
                    stationPartition[station] = batch.partitions[row]
                    let fields = Set(object.keys)
                    if topic == "bike" {
                        #expect(
                            fields == [
                                "bike_city", "station_id", "docks_total", "bikes_available", "bikes_occupied",
                                "docks_available", "event_time",
                            ])
                        let docks = object["docks_total"] as! Int
                        let available = object["bikes_available"] as! Int
                        #expect(available >= 0 && available <= docks)
                        #expect(object["bikes_occupied"] as! Int == docks - available)
                    } else {
                        #expect(
                            fields == [
                                "station_id", "weather_city", "temp_c", "precip_mm", "humidity", "wind_kph",
                                "pressure_mb", "condition", "event_time",
                            ])
                    }
                    #expect((object["event_time"] as! String).hasSuffix("Z"))
                }
            }
        }
    }

    @Test func sameSeedGivesSamePayloadsAndSpeedScalesEventTime() throws {
        func run(seed: Int, speed: Int) throws -> [String] {
            let broker = try BrokerProcess(partitions: 1)
            _ = try Self.produce(broker.address, seed: seed, speed: speed)
            let batch = try Self.readAll(broker.address, topic: "bike", partitions: 1)[0]
            return (0..<batch.count).map { batch.values.string(at: $0) }
        }
        let first = try run(seed: 5, speed: 60)
        let second = try run(seed: 5, speed: 60)
        let other = try run(seed: 6, speed: 60)
        let n = min(first.count, second.count, other.count)
        #expect(n > 100)
        #expect(Array(first.prefix(n)) == Array(second.prefix(n)))
        #expect(Array(first.prefix(n)) != Array(other.prefix(n)))
        // record k is stamped start + k * interval * speed: 0.01 s * 60 = 0.6 s per record, so record 100 is 60 s in
        let fast = try run(seed: 5, speed: 600)
        func eventTime(_ json: String) throws -> String {
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
            return object["event_time"] as! String
        }
        #expect(try eventTime(first[0]) == "2025-08-20T06:00:00Z")
        #expect(try eventTime(first[100]) == "2025-08-20T06:01:00Z")
        #expect(try eventTime(fast[100]) == "2025-08-20T06:10:00Z")
    }
}

extension FileHandle {
    /// Reads bytes up to the first newline (the broker prints its address on one line).
    func availableLine() -> String {
        var bytes: [UInt8] = []
        while true {
            let chunk = readData(ofLength: 1)
            if chunk.isEmpty || chunk.first == 10 { break }
            bytes.append(chunk.first!)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
