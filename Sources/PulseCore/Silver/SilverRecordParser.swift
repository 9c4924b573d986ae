/// What differs between the sources' Silver rules: the record's JSON shape and how its located fields
/// become one row (types, station, event time, plausibility, derived columns), or the broken rule.
public protocol SilverShape: Sendable {
    associatedtype Columns: SilverColumns
    /// The shape's fields, in the order producers write them (the scanner tries them in this order).
    static var fieldNames: [String] { get }
    /// Reads the located fields into one row appended to `columns`, or throws the first rule broken;
    /// a throw leaves `columns` unchanged.
    static func read(_ fields: SilverFieldReader, catalogue: StationCatalogue, into columns: inout Columns)
        throws(RejectReason)
}

/// Silver for one topic: turns one Kafka record value into a row of `Shape.Columns`, or the reason it
/// goes to quarantine. The scan (valid JSON, an object, no known field twice) is the same for every
/// shape; the rules after it are the shape's (`BikeShape`, `WeatherShape`).
public struct SilverRecordParser<Shape: SilverShape>: Sendable {
    var scanner = JSONRecordScanner(fieldNames: Shape.fieldNames)
    /// The catalogue station_id is checked against; row `stationIndex` values index into it.
    public let catalogue: StationCatalogue

    public init(catalogue: StationCatalogue = .standard) {
        self.catalogue = catalogue
    }

    /// Parses `value`; appends one row to `columns` and returns nil when Silver accepts it, otherwise
    /// leaves `columns` unchanged and returns the reason.
    public mutating func parse(_ value: UnsafeRawBufferPointer, into columns: inout Shape.Columns) -> RejectReason? {
        switch scanner.scan(value) {
        case .object: break
        case .notJSON(let error): return .notJSON(error)
        case .notAnObject(let kind): return .notAnObject(found: kind)
        case .duplicateField(let field): return .duplicateField(Shape.fieldNames[field])
        }
        let base = value.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let catalogue = self.catalogue
        return scanner.slots.withUnsafeBufferPointer { slots in
            do throws(RejectReason) {
                try Shape.read(
                    SilverFieldReader(base: base, slots: slots, names: Shape.fieldNames), catalogue: catalogue,
                    into: &columns)
                return nil
            } catch {
                return error
            }
        }
    }
}
