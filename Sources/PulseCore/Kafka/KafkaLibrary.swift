import CRdKafka

/// The librdkafka the binary runs with. Builds differ (Debian's 2.0.2 by default, a newer file with
/// `PULSE_RDKAFKA_LIB`), and some brokers (Tansu) only work with the newer one, so logs name it.
public enum KafkaLibrary {
    /// librdkafka's own version string, e.g. "2.0.2".
    public static var version: String { String(cString: rd_kafka_version_str()) }
}
