import CRdKafka

/// librdkafka properties for one client, applied to a fresh `rd_kafka_conf_t` when the client is created.
/// Keeping them as plain strings lets tests and logs show exactly what a client was given.
public struct KafkaClientConfig: Sendable {
    public var properties: [(String, String)]

    public init(_ properties: [(String, String)] = []) {
        self.properties = properties
    }

    public mutating func set(_ key: String, _ value: String) {
        properties.removeAll { $0.0 == key }
        properties.append((key, value))
    }

    /// Builds the C configuration; the caller owns the result until it is handed to `rd_kafka_new`.
    func makeNativeConfig() throws -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(.configuration, "rd_kafka_conf_new returned nil")
        }
        var errstr = [CChar](repeating: 0, count: 512)
        for (key, value) in properties {
            let result = rd_kafka_conf_set(conf, key, value, &errstr, errstr.count)
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw KafkaError(.configuration, "\(key)=\(value): \(cString(errstr))")
            }
        }
        return conf
    }
}

/// Decodes a NUL-terminated C buffer without the deprecated `String(cString: [CChar])`.
func cString(_ buffer: [CChar]) -> String {
    buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}
