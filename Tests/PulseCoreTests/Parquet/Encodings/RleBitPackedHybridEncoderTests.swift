import Testing

@testable import PulseCore

@Suite struct RleBitPackedHybridEncoderTests {
    private func roundTrip(_ values: [UInt32], bitWidth: Int) throws -> [UInt32] {
        var encoder = RleBitPackedHybridEncoder(bitWidth: bitWidth)
        for v in values { encoder.put(v) }
        let bytes = encoder.finish()
        var decoded: [UInt32] = []
        let used = try bytes.withUnsafeBytes {
            try RleBitPackedHybridDecoder.decode($0, bitWidth: bitWidth, count: values.count, into: &decoded)
        }
        #expect(used == bytes.count)
        return decoded
    }

    @Test(arguments: [0, 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 24, 31, 32])
    func randomRoundTrip(bitWidth: Int) throws {
        var rng = SeededGenerator(seed: UInt64(bitWidth) + 1)
        let mask: UInt64 = bitWidth == 0 ? 0 : (1 << UInt64(bitWidth)) - 1
        for length in [0, 1, 7, 8, 9, 63, 64, 65, 513, 5000] {
            var values: [UInt32] = []
            while values.count < length {
                let v = UInt32(truncatingIfNeeded: rng.next() & mask)
                // Mix literal stretches with runs so both run kinds and their switches are exercised.
                let run = rng.next() % 4 == 0 ? Int(rng.next() % 40) + 1 : 1
                values.append(contentsOf: repeatElement(v, count: min(run, length - values.count)))
            }
            #expect(try roundTrip(values, bitWidth: bitWidth) == values, "width \(bitWidth) length \(length)")
        }
    }

    @Test func extremeValuesAtFullWidth() throws {
        let values: [UInt32] = [UInt32.max, 0, UInt32.max, 1, 0x8000_0000] + Array(repeating: UInt32.max, count: 20)
        #expect(try roundTrip(values, bitWidth: 32) == values)
    }

    @Test func longRunIsOneRleRun() throws {
        var encoder = RleBitPackedHybridEncoder(bitWidth: 1)
        encoder.put(1, repeating: 1_000_000)
        let bytes = encoder.finish()
        // ULEB128(1_000_000 << 1) = 3 bytes, then 1 value byte.
        #expect(bytes == [0x80, 0x89, 0x7A, 0x01])
        var decoded: [UInt8] = []
        _ = try bytes.withUnsafeBytes {
            try RleBitPackedHybridDecoder.decode($0, bitWidth: 1, count: 1_000_000, into: &decoded)
        }
        #expect(decoded.count == 1_000_000 && decoded.allSatisfy { $0 == 1 })
    }

    @Test func moreThan63GroupsOfLiterals() throws {
        // 1000 alternating values: literal groups must be split into several bit-packed runs (63 groups max).
        let values = (0..<1000).map { UInt32($0 % 3) }
        #expect(try roundTrip(values, bitWidth: 2) == values)
    }

    @Test func knownBitPackedLayout() {
        // Encodings.md example: values 0..7 at width 3 -> header 0x03, bytes 0x88 0xC6 0xFA.
        var encoder = RleBitPackedHybridEncoder(bitWidth: 3)
        for v in 0..<8 { encoder.put(UInt32(v)) }
        #expect(encoder.finish() == [0x03, 0x88, 0xC6, 0xFA])
    }

    @Test func truncatedInputThrows() {
        var decoded: [UInt32] = []
        #expect(throws: ParquetError.self) {
            _ = try [UInt8]([0x03, 0x88]).withUnsafeBytes {
                try RleBitPackedHybridDecoder.decode($0, bitWidth: 3, count: 8, into: &decoded)
            }
        }
    }
}
