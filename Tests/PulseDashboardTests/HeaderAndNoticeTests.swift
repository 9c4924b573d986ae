import Testing

@testable import PulseDashboard

/// What the header, the pipeline panel and the footer say in the states a new user meets first: a dead broker,
/// a rate change, narrow terminals.
@Suite struct HeaderAndNoticeTests {
    /// A run whose broker never answered: no event, no table, producers waiting.
    static func deadBroker() -> DashboardSnapshot {
        var snapshot = SnapshotFixture.snapshot()
        snapshot.simulatedNowMicros = nil
        snapshot.broker = ServiceHealth(
            description: "127.0.0.1:1", healthy: false, lastError: "Connection refused", failingSinceMicros: 0,
            everAnswered: false)
        snapshot.store = ServiceHealth(description: "./lakehouse", healthy: true)
        snapshot.producersWaiting = true
        snapshot.tables = snapshot.tables.map {
            TableStat(path: $0.path, version: nil, files: 0, rows: 0, bytes: 0, rowsPerSecond: nil)
        }
        snapshot.stations = snapshot.stations.map {
            StationLive(
                id: $0.id, city: $0.city, docksTotal: $0.docksTotal, bikesAvailable: nil, bikesOccupied: nil,
                utilization: nil, utilizationHistory: [], lastEventMicros: nil)
        }
        return snapshot
    }

    @Test func aDeadBrokerIsSaidInWordsAndSymbols() {
        var state = DashboardState()
        let rows = SnapshotFixture.render(width: 120, height: 40, state: &state, snapshot: Self.deadBroker())
        let text = rows.joined(separator: "\n")
        #expect(!text.contains("1970"))
        #expect(rows[0].contains("sim waiting for the first event"))
        #expect(rows[0].contains("✗ no broker"))
        #expect(rows[0].contains("producers waiting for the broker"))
        #expect(!rows[0].contains("producers 100%"))
        #expect(text.contains("broker ✗ unreachable since 00:00:00 (1m23s)"))
        #expect(text.contains("no tables yet"))
        #expect(!text.contains("v-1"))
    }

    @Test func deadBrokerInASCIIStillDiffersBySymbol() {
        var state = DashboardState()
        let rows = SnapshotFixture.render(
            width: 120, height: 40, state: &state, glyphs: .ascii, snapshot: Self.deadBroker())
        #expect(rows[0].contains("x no broker") && rows[0].contains("store * ok"))
    }

    @Test func aBrokerThatAnsweredBeforeIsDown() {
        var snapshot = SnapshotFixture.snapshot()
        snapshot.broker = ServiceHealth(
            description: "b:9092", healthy: false, failingSinceMicros: 0, everAnswered: true)
        let segments = HeaderBar.segments(
            FrameContext(snapshot: snapshot, wallNowMicros: 0), width: 120, glyphs: .unicode)
        #expect(segments.contains { $0.text == " broker ✗ down " })
    }

    @Test func engineStatesShow() {
        var snapshot = SnapshotFixture.snapshot()
        snapshot.topics[0].heldBack = true
        snapshot.topics[0].refused = 2
        snapshot.topics[1].stopped = "damaged epochs.json"
        var state = DashboardState()
        let rows = SnapshotFixture.render(width: 200, height: 60, state: &state, snapshot: snapshot)
        let text = rows.joined(separator: "\n")
        #expect(rows[0].contains("producers HELD BACK") && rows[0].contains("engine ✗ STOPPED"))
        #expect(text.contains("prod HELD BACK") && text.contains("refused 2 too large"))
        #expect(text.contains("STOPPED: damaged epochs.json"))
    }

    @Test func compactionsShowUnderTheLakehouse() {
        var snapshot = SnapshotFixture.snapshot()
        snapshot.tables[0].compactions = 3
        snapshot.tables[0].filesCompacted = 42
        var state = DashboardState()
        let text = SnapshotFixture.render(width: 120, height: 40, state: &state, snapshot: snapshot)
            .joined(separator: "\n")
        #expect(text.contains("compacted 42 files"))
    }

    @Test func theRateNoticeSaysWhatChangedAndWhatDidNot() {
        let topics = SnapshotFixture.snapshot().topics
        let text = ProducerRateSteps.notice(percent: 200, topics: topics, speed: 60, glyphs: .unicode)
        #expect(text == "producer rate 200%: 100 bike + 20 weather events/s; the clock stays ×60")
        var state = DashboardState()
        state.notice = text
        state.noticeUntilMicros = 84_000_000
        let rows = SnapshotFixture.render(width: 120, height: 40, state: &state)
        #expect(rows[39].contains("producer rate 200%"))
        state.noticeUntilMicros = 83_000_000
        #expect(!SnapshotFixture.render(width: 120, height: 40, state: &state)[39].contains("producer rate"))
    }

    @Test func quickKeysStepFromTheRateJustSet() {
        // The dashboard feeds each `+` the rate the last one set (its snapshot is updated between keys).
        var percent = 100
        for _ in 0..<3 { percent = ProducerRateSteps.next(from: percent, faster: true) }
        #expect(percent == 300)
    }

    @Test func titlesGiveWayBetweenWordsNeverInside() {
        #expect(Canvas.fit(title: "Lakehouse 11 tables  166 rows  26.2KB", width: 25) == "Lakehouse 11 tables")
        #expect(Canvas.fit(title: "Today by hour: utilisation and weather", width: 29) == "Today by hour: utilisation")
        #expect(Canvas.fit(title: "Lakehouse", width: 5) == "Lake…")
        #expect(Canvas.fit(title: "short", width: 10) == "short")
    }

    @Test func at60x16NoTitleIsCutMidWordAndBordersStayClosed() {
        for page in [DashboardPage.main, .station("S001")] {
            var state = DashboardState()
            state.page = page
            let rows = SnapshotFixture.render(width: 60, height: 16, state: &state, detail: SnapshotFixture.detail())
            for row in rows {
                #expect(!row.contains("…─") && !row.contains("…┐"), "\(row)")
                // A box's top border, where one begins, ends in its own corner before the next box.
                if let start = row.firstIndex(of: "┌") {
                    #expect(row[start...].contains("┐"), "\(row)")
                }
            }
            #expect(rows.allSatisfy { $0.unicodeScalars.count == 60 })
        }
    }

    @Test func wordsWrapBetweenWords() {
        #expect(
            Formatting.wrapWords("needs a wet and a dry hour", width: 10, lines: 3) == [
                "needs a", "wet and a", "dry hour",
            ])
        #expect(
            Formatting.wrapWords("needs a wet and a dry hour", width: 10, lines: 2) == [
                "needs a", "wet and a dry hour",
            ])
        #expect(Formatting.wrapWords("abcdefghijkl", width: 5, lines: 3) == ["abcde", "fghij", "kl"])
    }
}
