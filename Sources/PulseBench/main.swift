import Foundation
import Logging
import PulseCore
import PulseProducers
import Synchronization

// pulse-bench: the figures `make bench` prints. Throughput and memory only; nothing here is a test.
// Usage: pulse-bench kafka|parquet|pipeline [--events N] [--partitions P] [--dir DIR] [--s3-endpoint URL]

struct BenchArguments {
    var mode = "kafka"
    var events = 1_000_000
    var partitions = 30
    var directory = "bench-out"
    /// With an endpoint, the pipeline mode writes to s3://pulse-bench/<run> there (credentials from AWS_*).
    var s3Endpoint: String?

    init(_ args: [String]) {
        var i = 1
        if args.count > 1, !args[1].hasPrefix("--") {
            mode = args[1]
            i = 2
        }
        while i < args.count {
            let value = i + 1 < args.count ? args[i + 1] : ""
            switch args[i] {
            case "--events": events = Int(value) ?? events
            case "--partitions": partitions = Int(value) ?? partitions
            case "--dir": directory = value
            case "--s3-endpoint": s3Endpoint = value
            default: break
            }
            i += 2
        }
    }
}

func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// User + system CPU seconds of the whole process so far (all threads, librdkafka's included).
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func report(_ name: String, _ fields: [(String, Any)]) {
    let body = fields.map { key, value -> String in
        if let d = value as? Double { return "\"\(key)\": \(String(format: "%.2f", d))" }
        if let s = value as? String { return "\"\(key)\": \"\(s)\"" }
        return "\"\(key)\": \(value)"
    }.joined(separator: ", ")
    print("{\"bench\": \"\(name)\", \(body)}")
}

/// Produces `events` bike events from the simulation (spread over two simulated hours) as fast as the
/// producer accepts them; returns seconds until every one was delivered.
func produceBikeEvents(broker: String, events: Int, partitions: Int, topic: String, logger: Logger) throws -> (
    Double, Int
) {
    let counters = ProduceCounters(topic: topic)
    let producer = try KafkaProducer(brokers: broker, counters: [counters], health: BrokerHealth(), logger: logger)
    var generator = BikeRecordGenerator(seed: 42, startMicros: 1_755_730_800_000_000, badShare: 0.001)
    let catalogue = StationCatalogue.standard
    let spanMicros: Int64 = 2 * 3_600_000_000
    var bytes = 0
    let began = WallClock.monotonicSeconds()
    for i in 0..<events {
        let record = generator.nextBikeRecord(at: 1_755_730_800_000_000 + Int64(i) * spanMicros / Int64(events))
        let partition = catalogue.index(ofUTF8: record.key).map { Int32($0 % partitions) }
        bytes += record.value.count
        try producer.send(topic: topic, partition: partition, key: record.key, value: record.value)
        if i % 1000 == 0 { producer.poll() }
    }
    let left = producer.flush(timeoutMs: 60_000)
    let seconds = WallClock.monotonicSeconds() - began
    guard left == 0, counters.delivered.load(ordering: .relaxed) == events else {
        throw KafkaError(.produce, "only \(counters.delivered.load(ordering: .relaxed)) of \(events) delivered")
    }
    return (seconds, bytes)
}

ProcessMemory.limitMallocArenas()  // as pulse-tui does
let arguments = BenchArguments(CommandLine.arguments)
let logger = Logger(label: "bench")
let broker = try EmbeddedBroker()
try broker.createTopic("bike", partitions: arguments.partitions)

let (produceSeconds, valueBytes) = try produceBikeEvents(
    broker: broker.bootstrapServers, events: arguments.events, partitions: arguments.partitions, topic: "bike",
    logger: logger)
report(
    "produce",
    [
        ("events", arguments.events), ("partitions", arguments.partitions), ("seconds", produceSeconds),
        ("events_per_s", Double(arguments.events) / produceSeconds),
        ("mb_per_s", Double(valueBytes) / produceSeconds / 1e6),
        ("avg_value_bytes", Double(valueBytes) / Double(arguments.events)),
    ])

/// Resident set size now, MiB (the peak figure includes the pre-fill above).
func currentRSSMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
    else { return 0 }
    return Double(line.split(separator: " ").dropFirst().first ?? "0").map { $0 / 1024 } ?? 0
}
report("prefilled", [("rss_mib", currentRSSMiB()), ("peak_rss_mib", peakRSSMiB())])

switch arguments.mode {
case "kafka":
    // The input limit: the pipeline's reader (one consumer for the topic) reading every record, nothing else.
    var total = 0
    var gaps = 0
    let began = WallClock.monotonicSeconds()
    var batch = KafkaRecordBatch(topic: "bike")
    let reader = try TopicReader(
        brokers: broker.bootstrapServers, topic: "bike", health: BrokerHealth(), logger: logger)
    let high = try reader.queryOffsets(earliest: false)
    try reader.assign(offsets: try reader.queryOffsets(earliest: true))
    while total < arguments.events {
        batch.removeAll()
        let outcome = reader.read(targets: high, maxRecords: 100_000, into: &batch)
        if outcome.recordsRead == 0 { break }
        gaps += outcome.gaps.count
        total += batch.count
    }
    let seconds = WallClock.monotonicSeconds() - began
    report(
        "read",
        [
            ("events", total), ("gaps", gaps), ("seconds", seconds), ("events_per_s", Double(total) / seconds),
            ("peak_rss_mib", peakRSSMiB()),
        ])
case "pipeline":
    // End to end from the pre-filled broker: Bronze, Silver, quarantine and Gold committed on local disk
    // (or on S3 with --s3-endpoint).
    let store: any ObjectStore
    if let endpoint = arguments.s3Endpoint {
        let environment = ProcessInfo.processInfo.environment
        var configuration = S3Configuration(
            endpoint: endpoint, bucket: "pulse-bench", prefix: "run-\(WallClock.nowMicros())",
            accessKeyID: environment["AWS_ACCESS_KEY_ID"] ?? "",
            secretAccessKey: environment["AWS_SECRET_ACCESS_KEY"] ?? "")
        configuration.createBucket = true
        store = try S3Store(configuration: configuration)
    } else {
        let root = arguments.directory + "/lakehouse"
        try? FileManager.default.removeItem(atPath: root)
        store = try LocalStore(root: root)
    }
    var settings = PipelineSettings(topic: "bike", brokers: broker.bootstrapServers)
    settings.maxBatchRecords = Int(ProcessInfo.processInfo.environment["PULSE_BENCH_BATCH"] ?? "") ?? 100_000
    let pipeline = TopicPipelines.make(
        source: "bike", settings: settings, store: store, brokerHealth: BrokerHealth(), logger: logger)
    let began = WallClock.monotonicSeconds()
    let cpuBefore = cpuSeconds()
    var total = 0
    // Until a batch finds nothing: that last one commits what Gold held back during the backlog.
    while true {
        let n = try pipeline.runBatch()
        if n == 0 { break }
        total += n
    }
    let seconds = WallClock.monotonicSeconds() - began
    let snapshot = pipeline.metrics.snapshot
    var fields: [(String, Any)] = [
        ("store", store.description), ("events", total), ("seconds", seconds),
        ("events_per_s", Double(total) / seconds),
        ("cpu_s", cpuSeconds() - cpuBefore),
        ("input_mb_per_s", Double(valueBytes) / seconds / 1e6), ("late", snapshot.late),
        ("quarantined", snapshot.quarantined), ("gaps", snapshot.gaps), ("peak_rss_mib", peakRSSMiB()),
    ]
    for table in snapshot.tables {
        fields.append(("rows " + table.path, table.rows))
        fields.append(("bytes_per_event " + table.path, Double(table.bytes) / Double(max(1, total))))
    }
    report("pipeline", fields)
    // Where the engine's thread spent the run (the read-ahead thread's reading overlaps; "read" is the wait).
    report("pipeline_stages", snapshot.stageSeconds.sorted { $0.key < $1.key }.map { ($0.key + "_s", $0.value) })
case "parquet":
    // Parquet encode speed on Bronze columns built from the broker's records.
    var batch = KafkaRecordBatch(topic: "bike")
    let reader = try TopicReader(
        brokers: broker.bootstrapServers, topic: "bike", health: BrokerHealth(), logger: logger)
    try reader.assign(offsets: try reader.queryOffsets(earliest: true))
    _ = reader.read(targets: try reader.queryOffsets(earliest: false), maxRecords: .max, into: &batch)
    let rows = BronzeStage.rows(
        of: batch, ingestMicros: WallClock.nowMicros(), minimumOffset: [:], clusterID: "bench",
        schema: DeltaSchema(TableSchemas.bronzeColumns))
    let kept = rows.schema.fields.indices.filter { rows.schema.fields[$0].name != "dt" }
    let schema = ParquetSchema(kept.map { rows.schema.fields[$0].parquetNode })
    let columns = kept.map { rows.columns[$0] }
    let inputBytes = batch.byteCount + batch.count * (5 + 4 + 8 + 8 + 4 + 8)
    let began = WallClock.monotonicSeconds()
    let result = try ParquetFileWriter.write(schema: schema, columns: columns, rowCount: rows.rowCount)
    let seconds = WallClock.monotonicSeconds() - began
    report(
        "parquet_encode",
        [
            ("rows", rows.rowCount), ("input_mb", Double(inputBytes) / 1e6), ("seconds", seconds),
            ("mb_per_s", Double(inputBytes) / seconds / 1e6),
            ("file_bytes_per_row", Double(result.bytes.count) / Double(rows.rowCount)),
        ])
default:
    FileHandle.standardError.write(Data("unknown mode \(arguments.mode)\n".utf8))
    exit(2)
}
