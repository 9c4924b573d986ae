/// The producer rates `+` and `-` step through, in percent of the configured rate.
enum ProducerRateSteps {
    static let steps = [10, 25, 50, 75, 100, 150, 200, 300, 500, 1000]

    /// The next step above (`faster`) or below the current rate, staying at the ends.
    static func next(from percent: Int, faster: Bool) -> Int {
        if faster { return steps.first { $0 > percent } ?? steps[steps.count - 1] }
        return steps.last { $0 < percent } ?? steps[0]
    }
}
