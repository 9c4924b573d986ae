/// The station catalogue as Silver checks it: raw station_id bytes to the station's index in
/// the catalogue, by open addressing over an FNV-1a hash, without building a String per record.
public struct StationLookup: Sendable {
    /// The catalogue, in the order given (indexes refer to it).
    public let stationIDs: [String]
    let idBytes: [UInt8]
    let idStarts: [Int]
    /// Open-addressing table of catalogue index + 1 (0 = empty); size is a power of two.
    let table: [Int32]

    /// Duplicate ids keep their first index.
    public init(stationIDs: [String]) {
        self.stationIDs = stationIDs
        var bytes: [UInt8] = []
        var starts: [Int] = [0]
        for id in stationIDs {
            bytes.append(contentsOf: Array(id.utf8))
            starts.append(bytes.count)
        }
        idBytes = bytes
        idStarts = starts
        var size = 8
        while size < stationIDs.count * 2 { size *= 2 }
        var slots = [Int32](repeating: 0, count: size)
        for (index, id) in stationIDs.enumerated() {
            let utf8 = Array(id.utf8)
            let hash = utf8.withUnsafeBufferPointer { StationLookup.hash($0.baseAddress, $0.count) }
            var slot = Int(truncatingIfNeeded: hash) & (size - 1)
            var duplicate = false
            while slots[slot] != 0 {
                if stationIDs[Int(slots[slot]) - 1] == id { duplicate = true; break }
                slot = (slot + 1) & (size - 1)
            }
            if !duplicate { slots[slot] = Int32(index + 1) }
        }
        table = slots
    }

    /// Index in the catalogue of the station whose id is exactly these bytes, or nil.
    @inline(__always)
    public func index(of id: UnsafeRawBufferPointer) -> Int? {
        index(of: id.baseAddress?.assumingMemoryBound(to: UInt8.self), count: id.count)
    }

    @inline(__always)
    func index(of p: UnsafePointer<UInt8>?, count: Int) -> Int? {
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: StationLookup.hash(p, count)) & mask
        return table.withUnsafeBufferPointer { t in
            idBytes.withUnsafeBufferPointer { ids in
                idStarts.withUnsafeBufferPointer { starts in
                    while true {
                        let entry = Int(t[slot])
                        if entry == 0 { return nil }
                        let start = starts[entry - 1]
                        let length = starts[entry] - start
                        if length == count && (count == 0 || memoryEqual(p!, ids.baseAddress! + start, count)) {
                            return entry - 1
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    /// Index of a station id given as a String (tests, set-up).
    public func index(of id: String) -> Int? {
        var copy = id
        return copy.withUTF8 { index(of: UnsafeRawBufferPointer($0)) }
    }

    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>?, _ count: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in 0..<count {
            h = (h ^ UInt64(p![i])) &* 0x0000_0100_0000_01B3
        }
        return h ^ (h >> 29)
    }
}
