/// Records read from one topic, column-wise, so the engine builds Bronze columns without a per-record
/// allocation. Row i of every column belongs to the same Kafka record.
public struct KafkaRecordBatch: Sendable {
    public var topic: String
    public var keys = ByteArrayColumn()
    public var values = ByteArrayColumn()
    public var partitions: [Int32] = []
    public var offsets: [Int64] = []
    /// Kafka record timestamps in microseconds since the epoch (Kafka stores milliseconds).
    public var timestampsMicros: [Int64] = []
    /// Spark's convention: 0 CreateTime, 1 LogAppendTime, -1 not available.
    public var timestampTypes: [Int32] = []
    /// Per record, `keyIsNull` and `valueIsNull` bits: Kafka tells a missing key or a tombstone (null
    /// value) from an empty one; `keys`/`values` hold no bytes for them.
    public var nullFlags: [UInt8] = []

    public static let keyIsNull: UInt8 = 1
    public static let valueIsNull: UInt8 = 2

    public init(topic: String) {
        self.topic = topic
    }

    public var count: Int { offsets.count }

    /// Key and value bytes held: what a read's byte budget counts.
    public var byteCount: Int { keys.data.count + values.data.count }

    /// Appends record `row` of `other` (a copy of its key and value bytes).
    public mutating func append(row: Int, of other: KafkaRecordBatch) {
        other.keys.data.withUnsafeBytes { bytes in
            keys.append(
                UnsafeRawBufferPointer(rebasing: bytes[Int(other.keys.offsets[row])..<Int(other.keys.offsets[row + 1])])
            )
        }
        other.values.data.withUnsafeBytes { bytes in
            values.append(
                UnsafeRawBufferPointer(
                    rebasing: bytes[Int(other.values.offsets[row])..<Int(other.values.offsets[row + 1])]))
        }
        partitions.append(other.partitions[row])
        offsets.append(other.offsets[row])
        timestampsMicros.append(other.timestampsMicros[row])
        timestampTypes.append(other.timestampTypes[row])
        nullFlags.append(other.nullFlags[row])
    }

    /// Whether record `row` has no key.
    @inline(__always)
    public func keyIsNull(_ row: Int) -> Bool { nullFlags[row] & Self.keyIsNull != 0 }

    /// Whether record `row` is a tombstone (no value).
    @inline(__always)
    public func valueIsNull(_ row: Int) -> Bool { nullFlags[row] & Self.valueIsNull != 0 }

    /// Empties the batch but keeps its buffers, so the next read reuses the memory.
    public mutating func removeAll() {
        keys.data.removeAll(keepingCapacity: true)
        keys.offsets.removeAll(keepingCapacity: true)
        keys.offsets.append(0)
        values.data.removeAll(keepingCapacity: true)
        values.offsets.removeAll(keepingCapacity: true)
        values.offsets.append(0)
        partitions.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        timestampsMicros.removeAll(keepingCapacity: true)
        timestampTypes.removeAll(keepingCapacity: true)
        nullFlags.removeAll(keepingCapacity: true)
    }
}

/// A stretch of offsets the broker no longer had when a reader asked for it (retention dropped
/// them before they were read). Always counted and reported, never skipped quietly.
public struct OffsetGap: Sendable, Equatable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32
    /// First offset that was wanted.
    public var expected: Int64
    /// First offset the broker still had.
    public var resumedAt: Int64
    public var missing: Int64 { resumedAt - expected }
    public var description: String {
        "\(topic)[\(partition)]: offsets \(expected)..<\(resumedAt) (\(missing) records) were gone from the broker before they were read"
    }
}
