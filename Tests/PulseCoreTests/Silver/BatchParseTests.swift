import Testing

@testable import PulseCore

/// A large batch is parsed in two halves on two threads (`SilverStage.parse`); the result must be the
/// one-record-at-a-time parse: same rows in the same order, same record numbers, same rejects.
@Suite struct BatchParseTests {
    @Test func twoHalvesParseExactlyAsOneRecordAtATime() {
        var records = KafkaRecordBatch(topic: "bike")
        let n = 25_001
        for i in 0..<n {
            let station = testStations[i % 30]
            let minute = (i / 60) % 60
            let text: String
            switch i % 997 {
            case 0: text = "not json"
            case 1: text = bikeJSON(station: "S999")
            case 2: text = bikeJSON(time: "yesterday")
            default:
                text = bikeJSON(
                    city: "City\(i % 7)", station: station, docks: i % 50 == 0 ? 0 : 20, available: i % 20,
                    occupied: 20 - i % 20, docksAvailable: i % 20,
                    time: "2025-08-20T23:\(minute < 10 ? "0" : "")\(minute):00Z")
            }
            Array(text.utf8).withUnsafeBytes { records.values.append($0) }
            Array(station.utf8).withUnsafeBytes { records.keys.append($0) }
            records.partitions.append(Int32(i % 3))
            records.offsets.append(Int64(i / 3))
            records.timestampsMicros.append(0)
            records.timestampTypes.append(0)
            records.nullFlags.append(0)
        }
        var stages = BikeStages()
        var rows = stages.makeRows()
        var recordRow: [Int32] = []
        var rejects: [(row: Int32, reason: String)] = []
        stages.parse(records, into: &rows, recordRow: &recordRow, rejects: &rejects)

        var parser = BikeRecordParser()
        var expected = SilverBikeColumns()
        var expectedRecordRow: [Int32] = []
        var expectedRejects: [(row: Int32, reason: String)] = []
        for i in 0..<n {
            let value = Array(records.values.bytes(at: i))
            if let reason = parser.parse(value, into: &expected) {
                expectedRejects.append((Int32(i), reason.description))
            } else {
                expectedRecordRow.append(Int32(i))
            }
        }
        #expect(rows.count == expected.count && rows.count > n * 9 / 10 && rejects.count > 0)
        #expect(recordRow == expectedRecordRow)
        #expect(
            rejects.map(\.row) == expectedRejects.map(\.row) && rejects.map(\.reason) == expectedRejects.map(\.reason))
        #expect(rows.eventTime == expected.eventTime)
        #expect(rows.stationIndex == expected.stationIndex)
        #expect(rows.stationID == expected.stationID)
        #expect(rows.bikeCity == expected.bikeCity)
        #expect(rows.bikesAvailable == expected.bikesAvailable)
        #expect(rows.ratesValid == expected.ratesValid)
        #expect(rows.availabilityRate == expected.availabilityRate)
        #expect(rows.dt == expected.dt)
        // A second batch through the same stages starts clean.
        stages.parse(records, into: &rows, recordRow: &recordRow, rejects: &rejects)
        #expect(rows.count == expected.count && recordRow == expectedRecordRow)
    }
}
