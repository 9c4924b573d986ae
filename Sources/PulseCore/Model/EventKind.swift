/// Which of the two event streams a record belongs to.
public enum EventKind: String, Sendable, Hashable, CaseIterable {
    /// Bike availability (original topic "bike", env KAFKA_TOPIC_BIKE / BIKE_TOPIC).
    case bike
    /// Weather readings (original topic "weather", env KAFKA_TOPIC_WEATHER).
    case weather

    /// The original stack's default topic name.
    public var defaultTopic: String { rawValue }
}
