// STAND-IN until the Parquet layer lands; replaced by its ByteArrayColumn.
/// Variable-length values stored contiguously (Arrow-style): value i is data[offsets[i]..<offsets[i+1]].
public struct ByteArrayColumn: Sendable {
    public var data: [UInt8] = []
    public var offsets: [Int32] = [0]
    public init() {}
    public init(reservingValues: Int, bytes: Int) {
        data.reserveCapacity(bytes)
        offsets.reserveCapacity(reservingValues + 1)
    }
    public var count: Int { offsets.count - 1 }
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        data.append(contentsOf: bytes)
        offsets.append(Int32(data.count))
    }
    public mutating func append(_ string: String) {
        data.append(contentsOf: string.utf8)
        offsets.append(Int32(data.count))
    }
    public subscript(i: Int) -> ArraySlice<UInt8> { data[Int(offsets[i])..<Int(offsets[i + 1])] }
    public func string(at i: Int) -> String { String(decoding: self[i], as: UTF8.self) }
}
