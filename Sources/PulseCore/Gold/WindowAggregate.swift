/// Silver rows Gold reads: event time and station of each row, by row index.
public protocol SilverRows {
    var eventTime: [Int64] { get }
    var stationIndex: [Int32] { get }
}

/// Partial aggregate of one (station, window) of a Gold table family: created from the
/// window's first on-time row, updated by each later one in offset order, and saved to and
/// restored from window state files exactly.
public protocol WindowAggregate: Sendable, Equatable {
    associatedtype Rows: SilverColumns
    /// Window lengths this pipeline's Gold tables use.
    static var windowSizes: [WindowSize] { get }
    /// Distinguishes the window states of different pipelines.
    static var stateTag: UInt8 { get }
    init(row: Int, of rows: Rows)
    mutating func add(row: Int, of rows: Rows)
    func write(to writer: inout WindowStateWriter)
    init(from reader: inout WindowStateReader) throws(PipelineError)
}
