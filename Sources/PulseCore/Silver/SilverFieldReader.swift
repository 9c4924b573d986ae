/// Typed reads of the known fields a scan found, applying Silver's type rules: integer fields
/// are JSON integers (no fraction, no exponent) within Int32, number fields any JSON number
/// that fits a Double, string fields JSON strings. Each failure is the quarantine reason.
public struct SilverFieldReader {
    let base: UnsafePointer<UInt8>
    let slots: UnsafeBufferPointer<JSONFieldSlot>
    let names: [String]

    @inline(__always)
    func present(_ field: Int) throws(RejectReason) -> JSONFieldSlot {
        let slot = slots[field]
        guard slot.kind != .absent else { throw .missingField(names[field]) }
        return slot
    }

    @inline(__always)
    func string(_ field: Int) throws(RejectReason) -> JSONFieldSlot {
        let slot = try present(field)
        guard slot.kind == .string else {
            throw .wrongType(field: names[field], expected: "string", found: slot.kind.description)
        }
        return slot
    }

    @inline(__always)
    func int32(_ field: Int) throws(RejectReason) -> Int32 {
        let slot = try present(field)
        guard slot.kind == .number, slot.isIntegral else {
            let found = slot.kind == .number ? "number with fraction or exponent" : slot.kind.description
            throw .wrongType(field: names[field], expected: "integer", found: found)
        }
        guard let value = slot.int32Value else { throw .integerOutOfRange(field: names[field]) }
        return value
    }

    @inline(__always)
    func double(_ field: Int) throws(RejectReason) -> Double {
        let slot = try present(field)
        guard slot.kind == .number else {
            throw .wrongType(field: names[field], expected: "number", found: slot.kind.description)
        }
        let value = slot.doubleValue(in: base)
        guard value.isFinite else { throw .numberOutOfRange(field: names[field]) }
        return value
    }

    /// Catalogue index of the station_id string `slot` (escapes decoded before the lookup).
    @inline(__always)
    func station(_ slot: JSONFieldSlot, in catalogue: StationCatalogue) throws(RejectReason) -> Int {
        if !slot.hasEscapes,
            let index = catalogue.index(
                ofUTF8: UnsafeRawBufferPointer(start: base + slot.start, count: slot.end - slot.start))
        {
            return index
        }
        var decoded: [UInt8] = []
        JSONRecordScanner.decodeString(base, from: slot.start, to: slot.end, into: &decoded)
        return try decoded.withUnsafeBufferPointer { (bytes) throws(RejectReason) -> Int in
            guard let index = catalogue.index(ofUTF8: UnsafeRawBufferPointer(bytes)) else {
                throw .unknownStation(RejectReason.quoted(bytes))
            }
            return index
        }
    }

    /// event_time of the string `slot` in microseconds since the epoch, UTC.
    @inline(__always)
    func eventTime(_ slot: JSONFieldSlot) throws(RejectReason) -> Int64 {
        if !slot.hasEscapes, let micros = EventTimeParser.parse(base + slot.start, count: slot.end - slot.start) {
            return micros
        }
        var decoded: [UInt8] = []
        JSONRecordScanner.decodeString(base, from: slot.start, to: slot.end, into: &decoded)
        return try decoded.withUnsafeBufferPointer { (bytes) throws(RejectReason) -> Int64 in
            guard let base = bytes.baseAddress, let micros = EventTimeParser.parse(base, count: bytes.count) else {
                throw .unparsableEventTime(RejectReason.quoted(bytes))
            }
            return micros
        }
    }
}
