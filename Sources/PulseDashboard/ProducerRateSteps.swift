/// The producer rates `+` and `-` step through, in percent of the configured rate.
enum ProducerRateSteps {
    static let steps = [10, 25, 50, 75, 100, 150, 200, 300, 500, 1000]

    /// The next step above (`faster`) or below the current rate, staying at the ends.
    static func next(from percent: Int, faster: Bool) -> Int {
        if faster { return steps.first { $0 > percent } ?? steps[steps.count - 1] }
        return steps.last { $0 < percent } ?? steps[0]
    }

    /// How long the footer says what a `+` or `-` changed.
    static let noticeMicros: Int64 = 4_000_000

    /// What `+`/`-` changed, in words: "producer rate 200%: 100 bike + 20 weather events/s; the clock stays ×60".
    static func notice(percent: Int, topics: [TopicStat], speed: Double, glyphs: GlyphSet) -> String {
        let rates = topics.compactMap { topic in
            topic.configuredPerSecond.map { Formatting.rate($0 * Double(percent) / 100) + " " + topic.topic }
        }
        var text = "producer rate \(percent)%"
        if !rates.isEmpty { text += ": " + rates.joined(separator: " + ") + " events/s" }
        return text + "; the clock stays " + HeaderBar.speed(speed, glyphs: glyphs)
    }
}
