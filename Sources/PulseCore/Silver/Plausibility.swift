/// Silver's plausibility ranges (ARCHITECTURE.md § Tables, the original's "schema validation" item):
/// well-typed values no station or weather sensor reports. Each broken range is its own quarantine
/// reason. They also keep Gold finite (four temp_c of 1.7e308 once made an hourly mean of inf) and
/// every `dt` partition a four-digit year readers accept.
enum Plausibility {
    /// event_time in [1970-01-01, 2200-01-01) UTC, in microseconds.
    static let eventTime: Range<Int64> = 0..<7_258_118_400_000_000
    static let tempC: ClosedRange<Double> = -90...60
    static let precipMM: ClosedRange<Double> = 0...500
    static let humidity: ClosedRange<Int32> = 0...100
    static let windKPH: ClosedRange<Double> = 0...500
    static let pressureMB: ClosedRange<Int32> = 850...1100
    static let docksTotal: ClosedRange<Int32> = 0...1000

    @inline(__always)
    static func check(_ value: Double, in range: ClosedRange<Double>, field: String) throws(RejectReason) {
        guard range.contains(value) else {
            throw .implausible(
                field: field, value: "\(value)", range: "\(describe(range.lowerBound))...\(describe(range.upperBound))")
        }
    }

    @inline(__always)
    static func check(_ value: Int32, in range: ClosedRange<Int32>, field: String) throws(RejectReason) {
        guard range.contains(value) else {
            throw .implausible(field: field, value: "\(value)", range: "\(range.lowerBound)...\(range.upperBound)")
        }
    }

    @inline(__always)
    static func checkEventTime(_ micros: Int64) throws(RejectReason) {
        guard eventTime.contains(micros) else {
            throw .implausible(
                field: "event_time", value: EventTime.timestampString(micros: micros),
                range: "1970-01-01T00:00:00Z..<2200-01-01T00:00:00Z")
        }
    }

    private static func describe(_ bound: Double) -> String {
        bound == bound.rounded() ? String(Int(bound)) : "\(bound)"
    }
}
