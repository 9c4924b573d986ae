import Testing

@testable import PulseDashboard

@Suite struct FormattingTests {
    @Test func countsUseShortSuffixes() {
        #expect(Formatting.count(0) == "0")
        #expect(Formatting.count(999) == "999")
        #expect(Formatting.count(1234) == "1.2k")
        #expect(Formatting.count(123_456) == "123k")
        #expect(Formatting.count(999_960) == "1.0M")
        #expect(Formatting.count(3_400_000) == "3.4M")
        #expect(Formatting.count(-1500) == "-1.5k")
    }

    @Test func bytesArePowersOf1024() {
        #expect(Formatting.bytes(512) == "512B")
        #expect(Formatting.bytes(1536) == "1.5KB")
        #expect(Formatting.bytes(3 * 1024 * 1024) == "3.0MB")
        #expect(Formatting.bytes(5 * 1024 * 1024 * 1024) == "5.0GB")
    }

    @Test func ratesKeepOneDecimalWhenSmall() {
        #expect(Formatting.rate(0) == "0")
        #expect(Formatting.rate(0.44) == "0.4")
        #expect(Formatting.rate(30.4) == "30")
        #expect(Formatting.rate(1250) == "1.3k")
        #expect(Formatting.rate(.nan) == "0")
    }

    @Test func durationsPickAUnit() {
        #expect(Formatting.duration(0.000_85) == "850us")
        #expect(Formatting.duration(0.012) == "12ms")
        #expect(Formatting.duration(1.24) == "1.2s")
        #expect(Formatting.duration(42) == "42s")
        #expect(Formatting.duration(125) == "2m05s")
        #expect(Formatting.duration(3720) == "1h02m")
        #expect(Formatting.duration(-1) == "-")
    }

    @Test func fixedRoundsWithoutFoundation() {
        #expect(Formatting.fixed(1.25, decimals: 1) == "1.3")
        #expect(Formatting.fixed(-0.04, decimals: 1) == "0.0")
        #expect(Formatting.fixed(-2.5, decimals: 2) == "-2.50")
        #expect(Formatting.fixed(7, decimals: 0) == "7")
    }

    @Test func percentAndTemperature() {
        #expect(Formatting.percent(0.574) == "57%")
        #expect(Formatting.percent(nil) == "-")
        #expect(Formatting.temperature(18.24, degree: "°") == "18.2°C")
        #expect(Formatting.temperature(-3, degree: "") == "-3.0C")
    }

    @Test func clockIsUTC() {
        // 2024-05-01T07:00:00Z
        #expect(Formatting.dateTime(micros: 1_714_546_800_000_000) == "2024-05-01 07:00:00")
        #expect(Formatting.hourMinute(micros: 1_714_546_800_000_000 + 90_000_000) == "07:01")
        #expect(Formatting.timeOfDay(micros: 0) == "00:00:00")
        #expect(CivilTime(micros: 951_782_400_000_000) == CivilTime(micros: 951_782_400_000_000))
        let leap = CivilTime(micros: 951_782_400_000_000)  // 2000-02-29T00:00:00Z
        #expect((leap.year, leap.month, leap.day) == (2000, 2, 29))
        let before = CivilTime(micros: -1)  // 1969-12-31T23:59:59Z
        #expect((before.year, before.month, before.day, before.hour, before.second) == (1969, 12, 31, 23, 59))
        #expect(Formatting.uptime(3723) == "01:02:03")
    }
}
