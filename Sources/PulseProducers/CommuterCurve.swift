import Glibc

/// Ride activity by local time of day, per station role and weekday/weekend, in [0, 1]:
/// the commuter shape the bike simulation pulls each station towards (near 0 at 3 am, peaks in
/// the 8 am and 5:30 pm commutes on weekdays, a broad afternoon hump at weekends).
///
/// Tabulated per minute at init so the hot path is an array read.
public struct CommuterCurve: Sendable {
    /// [role][weekend ? 1 : 0][minute of day]
    @usableFromInline let table: [[[Double]]]

    /// Builds the tables.
    public init() {
        var table: [[[Double]]] = []
        for role in StationRole.allCases {
            var perDayKind: [[Double]] = []
            for weekend in [false, true] {
                perDayKind.append((0..<1440).map { Self.activity(role: role, hour: Double($0) / 60, weekend: weekend) })
            }
            table.append(perDayKind)
        }
        self.table = table
    }

    /// Activity at a local minute of day (0..<1440).
    @inlinable
    public func activity(role: StationRole, minuteOfDay: Int, weekend: Bool) -> Double {
        table[role.rawValue][weekend ? 1 : 0][minuteOfDay]
    }

    /// The analytic curve: the max of Gaussian bumps (centre hour, width hours, height).
    static func activity(role: StationRole, hour: Double, weekend: Bool) -> Double {
        func bump(_ centre: Double, _ width: Double, _ height: Double) -> Double {
            // Distance on the 24 h circle, so late-evening bumps fade smoothly past midnight.
            var d = abs(hour - centre)
            if d > 12 { d = 24 - d }
            return height * exp(-0.5 * (d / width) * (d / width))
        }
        let bumps: [(Double, Double, Double)]
        if weekend {
            switch role {
            case .leisure: bumps = [(14, 3.2, 1.0), (19.5, 2.0, 0.45)]
            case .residential: bumps = [(13, 3.0, 0.7), (19, 2.0, 0.3)]
            case .business, .mixed: bumps = [(14, 3.0, 0.6), (19.5, 2.0, 0.35)]
            }
        } else {
            switch role {
            case .residential:
                // Drained by the morning commute, stays low through the working day.
                bumps = [(8, 1.2, 1.0), (12.5, 3.0, 0.6), (17.8, 1.2, 0.6), (21, 1.5, 0.2)]
            case .business:
                bumps = [(8.3, 1.0, 0.35), (12.5, 1.2, 0.45), (17.5, 1.3, 1.0), (20, 1.5, 0.3)]
            case .mixed:
                bumps = [(8.2, 1.2, 0.8), (12.5, 2.0, 0.45), (17.5, 1.4, 0.9), (20.5, 1.8, 0.3)]
            case .leisure:
                bumps = [(8.5, 1.5, 0.3), (13.5, 3.0, 0.75), (18.5, 2.0, 0.5)]
            }
        }
        return bumps.reduce(0) { max($0, bump($1.0, $1.1, $1.2)) }
    }
}
