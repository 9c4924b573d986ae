import CRdKafka
import Logging

/// Creates a librdkafka client of `type` from `config`, with the engine's error and log callbacks
/// reaching `health` and `logger` through a retained context. The caller owns both results (it destroys
/// the handle, then releases the context); on failure nothing is left behind. `configure` adds
/// type-specific callbacks to the native configuration; `what` names the client in the error.
func makeKafkaClient(
    _ type: rd_kafka_type_t, config: KafkaClientConfig, health: BrokerHealth, logger: Logger, what: String,
    membership: GroupMembership? = nil, configure: (OpaquePointer) -> Void = { _ in }
) throws -> (handle: OpaquePointer, context: Unmanaged<KafkaClientContext>) {
    let conf = try config.makeNativeConfig()
    let context = Unmanaged.passRetained(KafkaClientContext(health: health, logger: logger, membership: membership))
    rd_kafka_conf_set_opaque(conf, context.toOpaque())
    rd_kafka_conf_set_error_cb(conf, kafkaClientError)
    rd_kafka_conf_set_log_cb(conf, kafkaClientLog)
    configure(conf)
    var errstr = [CChar](repeating: 0, count: 512)
    guard let handle = rd_kafka_new(type, conf, &errstr, errstr.count) else {
        rd_kafka_conf_destroy(conf)
        context.release()
        throw KafkaError(.clientCreation, "\(what): \(cString(errstr))")
    }
    return (handle, context)
}
