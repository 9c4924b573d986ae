/// Gold's per-record step of a micro-batch: each Silver row feeds its partition's window state in
/// offset order, and every time a partition's watermark crosses a minute the windows it closed are
/// collected for the Gold tables.
///
/// A generic function specialized for both pipelines: `TopicPipeline`'s methods run unspecialized (it
/// is a generic class called through `PipelineRunner`), and there this loop looked up type metadata
/// for every record.
enum WindowFeed {
    /// Feeds the rows of `recordRow` (Silver row -> record index) whose offset is at or above their
    /// partition's `stateOffset`. A closed window goes to the Gold table of its size unless that table's
    /// version (`goldVersions[table][partition]`) shows the table already holds it. Returns the windows per
    /// table, the number of late rows and of rows held out as far ahead (`WindowState`).
    @_specialize(where Aggregate == BikeWindowAggregate)
    @_specialize(where Aggregate == WeatherWindowAggregate)
    static func feed<Aggregate: WindowAggregate>(
        _ records: KafkaRecordBatch, recordRow: [Int32], rows: Aggregate.Rows,
        states: inout [WindowState<Aggregate>], stateOffset: [Int64], goldVersions: [[Int32: Int64]]
    ) -> (closed: [[ClosedWindow<Aggregate>]], late: Int64, ahead: Int64) {
        var closed = Array(repeating: [ClosedWindow<Aggregate>](), count: goldVersions.count)
        var heldOut: Int64 = 0
        let aheadBefore = states.reduce(0) { $0 + $1.aheadCount }
        for (silverRow, recordIndex) in recordRow.enumerated() {
            let r = Int(recordIndex)
            let p = Int(records.partitions[r])
            let offset = records.offsets[r]
            guard offset >= stateOffset[p] else { continue }
            let minuteBefore = states[p].watermark.map { $0 / 60_000_000 }
            if !states[p].ingest(row: silverRow, of: rows) { heldOut += 1 }
            guard let after = states[p].watermark.map({ $0 / 60_000_000 }), after != minuteBefore else { continue }
            for window in states[p].closeWindows(reachedBy: states[p].watermark) {
                guard let table = Aggregate.windowSizes.firstIndex(of: window.size) else { continue }
                // The table takes the window unless its version shows it already has it (emitted after
                // record `offset`, i.e. in a commit whose version is above offset).
                if offset >= (goldVersions[table][Int32(p)] ?? 0) { closed[table].append(window) }
            }
        }
        let ahead = states.reduce(0) { $0 + $1.aheadCount } - aheadBefore
        return (closed, heldOut - ahead, ahead)
    }
}
