import Testing

@testable import PulseDashboard

/// The station page's windows: each label names exactly what is drawn.
@Suite struct StationWindowsTests {
    static let day: Int64 = 1_714_521_600_000_000  // 2024-05-01T00:00:00Z
    static let minute: Int64 = 60_000_000
    static let hour: Int64 = 3_600_000_000

    static func minute(_ offset: Int64, live: Bool = false) -> MinutePoint {
        MinutePoint(windowStartMicros: day + offset * minute, bikesAvailable: 5, bikesOccupied: 3, isLive: live)
    }

    static func hour(_ offset: Int64, util: Double, precip: Double) -> HourPoint {
        HourPoint(windowStartMicros: day + offset * hour, utilizationAvg: util, tempC: 15, precipMm: precip)
    }

    @Test func sparseMinutesStayInPlaceOverTheLastHour() throws {
        // Minutes spread over six hours (the old chart closed them up and spanned 12:46 to 18:53).
        let points = [Self.minute(0), Self.minute(120), Self.minute(300), Self.minute(330), Self.minute(359)]
        let window = try #require(StationWindows.minutes(points, count: 60))
        #expect(window.slots.count == 60)
        #expect(window.startMicros == Self.day + 300 * Self.minute)
        #expect(
            window.slots.compactMap { $0 }.map(\.windowStartMicros)
                == [300, 330, 359].map { Self.day + $0 * Self.minute })
        #expect(window.slots[30] != nil && window.slots[31] == nil && window.slots[59] != nil)
        #expect(window.title.hasPrefix("Last hour by minute, 05:00-06:00"))
    }

    @Test func aNarrowChartSaysHowManyMinutesItShows() throws {
        let window = try #require(StationWindows.minutes((0..<90).map { Self.minute($0) }, count: 40))
        #expect(window.slots.count == 40 && window.slots.allSatisfy { $0 != nil })
        #expect(window.title.hasPrefix("Last 40 min by minute, 00:50-01:30"))
    }

    @Test func aClosedMinuteWinsOverALiveOne() throws {
        let window = try #require(StationWindows.minutes([Self.minute(5), Self.minute(5, live: true)], count: 60))
        #expect(window.slots.last??.isLive == false)
        #expect(StationWindows.minutes([], count: 60) == nil)
    }

    @Test func hoursAreThoseOfTheNewestDay() throws {
        // Yesterday's 22:00 and 23:00, today's 00:00-02:00: the panel shows today's, and says which day.
        let hours = (-2...2).map { Self.hour(Int64($0), util: 0.2, precip: 0) }
        let day = try #require(StationWindows.latestDay(hours))
        #expect(day.hours.map(\.windowStartMicros) == [0, 1, 2].map { Self.day + $0 * Self.hour })
        #expect(day.title(from: Self.day, to: Self.day + 2 * Self.hour).hasPrefix("By hour 2024-05-01 00:00-03:00"))
        let late = try #require(StationWindows.latestDay([Self.hour(23, util: 0.1, precip: 0)]))
        #expect(
            late.title(from: Self.day + 23 * Self.hour, to: Self.day + 23 * Self.hour).hasPrefix(
                "By hour 2024-05-01 23:00-24:00"))
    }

    @Test func anHourWithoutAWindowKeepsItsRow() throws {
        let day = try #require(
            StationWindows.latestDay([Self.hour(1, util: 0.1, precip: 0), Self.hour(4, util: 0.2, precip: 0)]))
        #expect(day.slots.map { $0.hour == nil } == [false, true, true, false])
        #expect(day.slots.map(\.startMicros) == (1...4).map { Self.day + Int64($0) * Self.hour })
    }

    @Test func rainIsComparedAtTheSameHoursOfDay() {
        // Rain falls at 03:00 (night, low use) on two days; the dry hours are mostly the 08:00 commute. Wet against
        // all dry hours would say rain adds nothing or takes 60 points; at the same hour it takes 5.
        var hours: [HourPoint] = []
        for day in 0..<3 {
            let base = Int64(day) * 24
            hours.append(Self.hour(base + 3, util: day < 2 ? 0.05 : 0.10, precip: day < 2 ? 2.0 : 0))
            hours.append(Self.hour(base + 8, util: 0.7, precip: 0))
        }
        let rain = StationWindows.rain(hours)
        #expect(rain.hoursOfDay == 1)
        #expect(rain.wetHours == 2 && rain.dryHours == 1)
        #expect(rain.allWetHours == 2 && rain.allDryHours == 4)
        #expect(rain.points == -5)
    }

    @Test func rainNeedsWetAndDryAtOneHourOfDay() {
        let rain = StationWindows.rain([Self.hour(3, util: 0.1, precip: 1), Self.hour(4, util: 0.2, precip: 0)])
        #expect(rain.points == nil && rain.wet == nil)
        #expect(rain.allWetHours == 1 && rain.allDryHours == 1)
    }

    @Test func stationPageDrawsTheRainComparisonWithItsHours() {
        var state = DashboardState()
        state.page = .station("S001")
        var detail = SnapshotFixture.detail()
        detail.hours = (0..<3).flatMap { day -> [HourPoint] in
            let base = Int64(day) * 24
            return [
                Self.hour(base + 7, util: day == 0 ? 0.30 : 0.50, precip: day == 0 ? 1.5 : 0),
                Self.hour(base + 8, util: 0.6, precip: 0),
            ]
        }
        let text = SnapshotFixture.render(width: 120, height: 40, state: &state, detail: detail)
            .joined(separator: "\n")
        #expect(text.contains("rain moves use -20 pts (1 hour of day)"))
        #expect(text.contains("1 h") && text.contains("2 h"))
        #expect(text.contains("By hour 2024-05-03 07:00-09:00"))
    }
}
