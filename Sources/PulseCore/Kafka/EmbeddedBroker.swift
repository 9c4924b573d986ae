import CRdKafka

/// A Kafka broker inside this process: librdkafka's mock cluster, speaking the real protocol on a
/// loopback port, so a fresh clone runs with no broker to install. Other processes connect to
/// `bootstrapServers`.
///
/// The mock keeps at most 5 MiB or 100,000 messages per partition and drops the oldest beyond that;
/// readers detect the resulting gaps (`TopicReader`), and producers spread stations over
/// partitions to stay inside it.
public final class EmbeddedBroker {
    /// Per-partition retention of the mock cluster (rdkafka_mock.c): documented so sizing can refer to it.
    public static let maxMessagesPerPartition = 100_000
    public static let maxBytesPerPartition = 5 << 20

    private let host: OpaquePointer
    private let cluster: OpaquePointer
    /// `host:port` of the listener, for any Kafka client.
    public let bootstrapServers: String

    /// Starts a one-broker cluster on a random loopback port.
    public init() throws {
        var config = KafkaClientConfig()
        config.set("log_level", "3")
        let conf = try config.makeNativeConfig()
        var errstr = [CChar](repeating: 0, count: 512)
        guard let host = rd_kafka_new(RD_KAFKA_PRODUCER, conf, &errstr, errstr.count) else {
            rd_kafka_conf_destroy(conf)
            throw KafkaError(.brokerCreation, "cannot create the embedded broker's host client: \(cString(errstr))")
        }
        guard let cluster = rd_kafka_mock_cluster_new(host, 1) else {
            rd_kafka_destroy(host)
            throw KafkaError(.brokerCreation, "rd_kafka_mock_cluster_new failed")
        }
        self.host = host
        self.cluster = cluster
        self.bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    /// Creates `name` with `partitions` partitions (the mock has no CreateTopics support, so this is the way).
    /// Creating an existing topic is a no-op in the mock.
    public func createTopic(_ name: String, partitions: Int) throws {
        let err = rd_kafka_mock_topic_create(cluster, name, Int32(partitions), 1)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(
                .topicCreation, "topic '\(name)' (\(partitions) partitions): \(String(cString: rd_kafka_err2str(err)))")
        }
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
        rd_kafka_destroy(host)
    }
}
