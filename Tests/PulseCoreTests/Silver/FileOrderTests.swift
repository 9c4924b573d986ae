import Testing

@testable import PulseCore

/// The order rows take in a Silver file (station, then event time, then arrival) and the byte order string
/// statistics use: both have fast paths, checked here against the plain definitions.
@Suite struct FileOrderTests {
    /// Rows by (station, event time, row): what `fileOrder` must return, computed the slow way.
    static func reference(_ columns: SilverBikeColumns, keep: [Int]) -> [Int] {
        keep.sorted {
            (columns.stationIndex[$0], columns.eventTime[$0], $0) < (
                columns.stationIndex[$1], columns.eventTime[$1], $1
            )
        }
    }

    static func columns(rows: Int, stations: Int32, times: (Int, inout SeededGenerator) -> Int64) -> SilverBikeColumns {
        var generator = SeededGenerator(seed: 7)
        var columns = SilverBikeColumns()
        for row in 0..<rows {
            columns.stationIndex.append(Int32.random(in: 0..<stations, using: &generator))
            columns.eventTime.append(times(row, &generator))
        }
        return columns
    }

    @Test(arguments: ["in order", "a few late", "reversed", "random", "extremes", "all equal"])
    func fileOrderIsStationThenTimeThenArrival(shape: String) {
        let columns = Self.columns(rows: 5_000, stations: 30) { row, generator in
            switch shape {
            case "in order": return Int64(row) * 1_000
            case "a few late":
                return Int64(row) * 1_000 - (Int.random(in: 0..<50, using: &generator) == 0 ? 900_000 : 0)
            case "reversed": return Int64(5_000 - row) * 1_000
            case "random": return Int64.random(in: 0..<100, using: &generator) * 1_000
            // Negative and extreme times (the fallback sort packs them with their sign bit flipped).
            case "extremes":
                return [Int64.min, -1, 0, 1, .max, Int64.random(in: .min ... .max, using: &generator)][row % 6]
            default: return 42
            }
        }
        for keep in [Array(0..<columns.count), Array(stride(from: 0, to: columns.count, by: 3))] {
            let all = keep.count == columns.count
            #expect(columns.fileOrder(keep: all ? nil : keep) == Self.reference(columns, keep: keep), "\(shape)")
        }
    }

    @Test func stringOrderIsUnsignedByteOrder() {
        var generator = SeededGenerator(seed: 11)
        // Long shared prefixes, bytes above 0x7f, and lengths around the 8-byte steps.
        let prefix: [UInt8] = Array(#"{"station_id": "S0"#.utf8)
        var values: [[UInt8]] = [[], [0], [0xff], prefix, prefix + [0x80], prefix + [0x7f]]
        for _ in 0..<2_000 {
            let shared = Int.random(in: 0...prefix.count, using: &generator)
            let tail = (0..<Int.random(in: 0..<20, using: &generator)).map { _ in
                [0, 0x30, 0x31, 0x7f, 0x80, 0xff, UInt8.random(in: 0...0xff, using: &generator)]
                    .randomElement(using: &generator)!
            }
            values.append(Array(prefix[..<shared]) + tail)
        }
        for _ in 0..<20_000 {
            let a = values.randomElement(using: &generator)!
            let b = values.randomElement(using: &generator)!
            let fast = a.withUnsafeBytes { a in b.withUnsafeBytes { b in ColumnSummary.lessThan(a, b) } }
            #expect(fast == a.lexicographicallyPrecedes(b), "\(a) < \(b)")
        }
    }
}
