import Testing

@testable import PulseCore

/// The early give-up on nearly distinct chunks (`DictionaryEncoder.probeValues`) must only skip work that
/// could not pay: a chunk whose first values repeat, or a short one, is still judged in full.
struct DictionaryEncoderTests {
    let probe = DictionaryEncoder.probeValues

    @Test func distinctIntegersAndStringsGiveUpAfterTheProbe() {
        let count = 4 * probe
        let offsets = ColumnValues.int64((0..<count).map { Int64($0) * 7 })
        #expect(DictionaryEncoder.encode(offsets, 0..<count, maxBytes: 1 << 30, maxEntries: 1 << 30) == nil)
        var json = ByteArrayColumn()
        for i in 0..<count { json.append("{\"event_id\":\"e-\(i)\",\"station_id\":\"S\(i % 30)\"}") }
        #expect(DictionaryEncoder.encode(.byteArray(json), 0..<count, maxBytes: 1 << 30, maxEntries: 1 << 30) == nil)
    }

    @Test func repeatedValuesAreStillEncoded() throws {
        let count = 4 * probe
        // Distinct for most of the probe, then only repeats: 7/8 of the probe is the give-up line.
        let values = (0..<count).map { Int32($0 < probe * 3 / 4 ? $0 : $0 % 16) }
        let encoded = try #require(
            DictionaryEncoder.encode(.int32(values), 0..<count, maxBytes: 1 << 20, maxEntries: 1 << 16))
        #expect(encoded.indices.count == count)
        guard case .int32(let entries) = encoded.dictionary else {
            Issue.record("an int32 column gives an int32 dictionary")
            return
        }
        #expect(encoded.indices.enumerated().allSatisfy { entries[Int($1)] == values[$0] })
        var stations = ByteArrayColumn()
        for i in 0..<count { stations.append("S\(i % 30)") }
        #expect(
            DictionaryEncoder.encode(.byteArray(stations), 0..<count, maxBytes: 1 << 20, maxEntries: 1 << 16) != nil)
    }

    @Test func shortChunksAreJudgedInFull() {
        // Under twice the probe the give-up never applies; the size comparison alone decides.
        let count = probe + 10
        let values = ColumnValues.int64((0..<count).map { Int64($0) })
        #expect(DictionaryEncoder.encode(values, 0..<count, maxBytes: 1 << 30, maxEntries: 1 << 30) == nil)
        let repeated = ColumnValues.int64((0..<count).map { Int64($0 % 3) })
        #expect(DictionaryEncoder.encode(repeated, 0..<count, maxBytes: 1 << 30, maxEntries: 1 << 30) != nil)
    }
}
