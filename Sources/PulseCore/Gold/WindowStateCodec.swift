extension WindowState {
    static var formatMagic: [UInt8] { Array("PWS".utf8) }
    /// Format 2 added the outlier run and ahead count after the late count; format 1 still reads.
    static var formatVersion: UInt8 { 2 }

    /// The state as deterministic bytes for `_checkpoints/<topic>/<partition>/`: the same state
    /// always gives the same bytes (windows sorted), Doubles kept bit for bit.
    ///
    /// Layout: "PWS", version, pipeline tag, has-max flag, max event time, row count, late
    /// count, outlier run (Int32), ahead count, then per window size: size, window count (UInt32), and per window (sorted by
    /// start, station): station (Int32), start (Int64), the aggregate's fields.
    public func serialized() -> [UInt8] {
        var writer = WindowStateWriter()
        for b in Self.formatMagic { writer.write(b) }
        writer.write(Self.formatVersion)
        writer.write(Aggregate.stateTag)
        writer.write(UInt8(maxEventTime == nil ? 0 : 1))
        writer.write(maxEventTime ?? 0)
        writer.write(rowCount)
        writer.write(lateCount)
        writer.write(outlierRun)
        writer.write(aheadCount)
        for (i, size) in Aggregate.windowSizes.enumerated() {
            writer.write(size.rawValue)
            writer.write(UInt32(open[i].count))
            for (key, aggregate) in open[i].sorted(by: { $0.key < $1.key }) {
                writer.write(key.stationIndex)
                writer.write(key.windowStart)
                aggregate.write(to: &writer)
            }
        }
        return writer.bytes
    }

    /// Restores a state from `serialized()` bytes; throws if they are cut short, inconsistent,
    /// or were written by another format version or pipeline.
    public init(serialized bytes: [UInt8]) throws(PipelineError) {
        var reader = WindowStateReader(bytes)
        for b in Self.formatMagic where try reader.read(UInt8.self) != b {
            throw PipelineError(.incompatibleWindowState, "not a Gold window state (bad magic)")
        }
        let version: UInt8 = try reader.read()
        guard version == 1 || version == Self.formatVersion else {
            throw PipelineError(
                .incompatibleWindowState, "window state format \(version), this build reads \(Self.formatVersion)")
        }
        let tag: UInt8 = try reader.read()
        guard tag == Aggregate.stateTag else {
            throw PipelineError(
                .incompatibleWindowState, "window state of pipeline tag \(tag), expected \(Aggregate.stateTag)")
        }
        self.init()
        let hasMax: UInt8 = try reader.read()
        let maxTime: Int64 = try reader.read()
        maxEventTime = hasMax == 1 ? maxTime : nil
        rowCount = try reader.read()
        lateCount = try reader.read()
        if version >= 2 {
            outlierRun = try reader.read()
            aheadCount = try reader.read()
            guard abs(Int(outlierRun)) < Int(Self.jumpConfirmations), aheadCount >= 0 else {
                throw PipelineError(
                    .corruptWindowState, "outlier run \(outlierRun) or ahead count \(aheadCount) out of range")
            }
        }
        guard rowCount >= 0, lateCount >= 0 else {
            throw PipelineError(.corruptWindowState, "negative row count \(rowCount) or late count \(lateCount)")
        }
        // Silver passes only event times in Plausibility.eventTime, one row at a time: a max outside it or
        // counts no run reaches are damage, and would overflow the watermark or the counts on the next row.
        guard maxEventTime.map(Plausibility.eventTime.contains) ?? true, rowCount < 1 << 62, lateCount <= rowCount,
            aheadCount <= rowCount
        else {
            throw PipelineError(
                .corruptWindowState,
                "max event time \(maxTime), \(rowCount) rows, \(lateCount) late or \(aheadCount) ahead out of range")
        }
        for (i, size) in Aggregate.windowSizes.enumerated() {
            let raw: UInt8 = try reader.read()
            guard raw == size.rawValue else {
                throw PipelineError(.corruptWindowState, "window size \(raw) where \(size) was expected")
            }
            let count: UInt32 = try reader.read()
            // Each window takes at least its station and start: a count the bytes cannot hold is corrupt.
            guard Int(count) <= reader.remaining / 12 else {
                throw PipelineError(
                    .corruptWindowState, "\(count) windows of \(size) cannot fit in \(reader.remaining) bytes")
            }
            open[i].reserveCapacity(Int(count))
            for _ in 0..<count {
                let station: Int32 = try reader.read()
                let start: Int64 = try reader.read()
                guard station >= 0, Int(station) < StationCatalogue.standard.stations.count else {
                    throw PipelineError(
                        .corruptWindowState, "window \(size) station index \(station) is not in the catalogue")
                }
                guard Plausibility.eventTime.contains(start) else {
                    throw PipelineError(.corruptWindowState, "window \(size) start \(start) out of range")
                }
                let aggregate = try Aggregate(from: &reader)
                let key = WindowKey(stationIndex: station, windowStart: start)
                guard open[i].updateValue(aggregate, forKey: key) == nil, size.windowStart(of: start) == start else {
                    throw PipelineError(
                        .corruptWindowState, "window \(size) station \(station) start \(start) repeated or misaligned")
                }
            }
        }
        guard reader.isAtEnd else {
            throw PipelineError(
                .corruptWindowState, "\(bytes.count - reader.position) trailing bytes after window state")
        }
    }
}
