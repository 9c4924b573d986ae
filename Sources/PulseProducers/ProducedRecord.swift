import PulseCore

/// One record ready for a Kafka producer: which stream, key (station_id), value (JSON bytes),
/// the event time it carries, and whether it was deliberately corrupted (and how).
public struct ProducedRecord: Sendable, Hashable {
    /// Bike or weather stream (the producer maps it to its configured topic).
    public var kind: EventKind
    /// Kafka key: the station_id's UTF-8 bytes (shared per station, not copied per record).
    public var key: [UInt8]
    /// Kafka value: the JSON payload (or the malformed stand-in of a bad record).
    public var value: [UInt8]
    /// The event time the record was generated for (also what a Kafka timestamp could carry).
    public var eventTimeMicros: Int64
    /// The corruption applied, or nil for a good record.
    public var badKind: BadRecordKind?

    /// True for a deliberately malformed record that Silver must quarantine.
    public var isBad: Bool { badKind != nil }

    /// Creates a record.
    public init(kind: EventKind, key: [UInt8], value: [UInt8], eventTimeMicros: Int64, badKind: BadRecordKind? = nil) {
        self.kind = kind
        self.key = key
        self.value = value
        self.eventTimeMicros = eventTimeMicros
        self.badKind = badKind
    }
}
