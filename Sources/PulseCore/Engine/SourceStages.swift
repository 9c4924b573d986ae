/// What differs between the bike and the weather pipeline: the Silver shape its records are parsed by,
/// and which columns Gold writes. The micro-batch driver (`TopicPipeline`) is the same for both.
public protocol SourceStages: Sendable {
    associatedtype Aggregate: WindowAggregate
    associatedtype Shape: SilverShape where Shape.Columns == Aggregate.Rows

    /// Silver's parsing of this source's records.
    var silverStage: SilverStage<Shape> { get set }

    /// "bike" or "weather": names the tables.
    var source: String { get }
    var silver: TableDefinition { get }
    /// Gold tables in the order of `Aggregate.windowSizes`.
    var gold: [TableDefinition] { get }

    /// Clears `rows`, then parses every record of `records` (batch order): accepted ones become rows of
    /// `rows` with `recordRow[i]` their record's row; rejected ones are listed with the rule they broke.
    mutating func parse(
        _ records: KafkaRecordBatch, into rows: inout Aggregate.Rows, recordRow: inout [Int32],
        rejects: inout [(row: Int32, reason: String)])

    /// Silver columns of the given rows (nil: every row), sorted as a Silver file holds them.
    func silverBatch(_ rows: Aggregate.Rows, keep: [Int]?) -> RecordBatch

    /// Gold columns of closed windows, all of size `Aggregate.windowSizes[tableIndex]`.
    func goldBatch(tableIndex: Int, windows: [ClosedWindow<Aggregate>]) -> RecordBatch

    /// An empty rows buffer.
    func makeRows() -> Aggregate.Rows

    /// Shows a batch's Silver rows and closed Gold windows (per Gold table) on the dashboard.
    func observe(_ rows: Aggregate.Rows, closed: [[ClosedWindow<Aggregate>]], in activity: StationActivity)
}

extension SourceStages {
    public mutating func parse(
        _ records: KafkaRecordBatch, into rows: inout Aggregate.Rows, recordRow: inout [Int32],
        rejects: inout [(row: Int32, reason: String)]
    ) {
        silverStage.parse(records, into: &rows, recordRow: &recordRow, rejects: &rejects)
    }

    public func silverBatch(_ rows: Aggregate.Rows, keep: [Int]?) -> RecordBatch {
        rows.recordBatch(schema: silver.schema, keep: rows.fileOrder(keep: keep))
    }

    public func makeRows() -> Aggregate.Rows { Aggregate.Rows() }
}
