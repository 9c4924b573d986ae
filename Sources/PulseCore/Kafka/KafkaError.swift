/// Why a Kafka operation failed, with what a user needs to act on it (broker address, topic, librdkafka's words).
public struct KafkaError: Error, CustomStringConvertible, Sendable {
    /// The kinds of failure; a struct around a private enum so cases can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Kind: Hashable, Sendable {
            case configuration, clientCreation, brokerCreation, topicCreation, produce, consume, metadata, timeout
            case recordTooLarge
        }
        fileprivate let kind: Kind
        public static let configuration = Code(kind: .configuration)
        public static let clientCreation = Code(kind: .clientCreation)
        public static let brokerCreation = Code(kind: .brokerCreation)
        public static let topicCreation = Code(kind: .topicCreation)
        public static let produce = Code(kind: .produce)
        public static let consume = Code(kind: .consume)
        public static let metadata = Code(kind: .metadata)
        public static let timeout = Code(kind: .timeout)
        /// A record larger than the producer sends (`KafkaProducer.maxRecordBytes`).
        public static let recordTooLarge = Code(kind: .recordTooLarge)
        public var description: String { String(describing: kind) }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "kafka \(code): \(message)" }
}
