import PulseCore

/// Why a run that ended must exit non-zero even though nothing crashed: records the broker lost, an
/// engine stopped by damaged lakehouse state, or a run that delivered or wrote nothing because of a
/// failure. The summary is printed first; this is the one line that follows it.
struct RunFailure: Error, CustomStringConvertible {
    var reasons: [String]
    var description: String { reasons.joined(separator: "; ") }

    /// The failure of a run that ended with these figures, nil when it did what it was asked.
    static func of(run: RunMetricsSnapshot, pipelines: [PipelineMetricsSnapshot], producing: Bool) -> RunFailure? {
        var reasons: [String] = []
        for pipeline in pipelines {
            if let fatal = pipeline.fatalError { reasons.append("\(pipeline.source) engine stopped: \(fatal)") }
            if pipeline.gaps > 0 {
                reasons.append(
                    "\(pipeline.gapRecords) \(pipeline.source) records lost: the broker dropped them before they were read "
                        + "(\(pipeline.gaps) gaps, last \(pipeline.lastGap ?? "?"); listed by 'pulse-tui inspect')")
            }
            if pipeline.recordsRead == 0, pipeline.failures > 0, pipeline.fatalError == nil {
                reasons.append("\(pipeline.source) engine wrote nothing: \(pipeline.lastError ?? "it kept failing")")
            }
        }
        let failing = run.produce.contains { $0.failed > 0 } || run.broker.failingSinceMicros != nil
        if producing, failing, run.produce.allSatisfy({ $0.delivered == 0 }) {
            let produced = run.produce.reduce(0) { $0 + $1.produced }
            let why = run.broker.lastError.map { ": \($0)" } ?? ""
            reasons.append("the broker acknowledged none of the \(produced) records produced\(why)")
        }
        return reasons.isEmpty ? nil : RunFailure(reasons: reasons)
    }
}
