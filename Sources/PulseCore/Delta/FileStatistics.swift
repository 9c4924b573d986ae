/// Per-file statistics as Delta stores them in `add.stats` (PROTOCOL.md § Per-file Statistics):
/// `{"numRecords":N,"minValues":{...},"maxValues":{...},"nullCount":{...}}` over the non-partition
/// columns. Readers (delta-rs, DuckDB) skip files with them, so bounds must be true bounds.
public struct FileStatistics: Sendable, Equatable {
    /// Statistics of one column of one file.
    public struct Column: Sendable, Equatable {
        public var name: String
        public var nullCount: Int64
        /// Smallest value in its JSON form, nil when unknown (all null, or not collected).
        package var min: JSONValue?
        /// Largest value in its JSON form, nil when unknown.
        package var max: JSONValue?
    }

    /// Strings longer than this keep a truncated prefix as minimum and no maximum (a prefix is a valid
    /// lower bound but not an upper one).
    public static let stringPrefixLength = 32

    public var numRecords: Int64
    public var columns: [Column]

    /// The JSON text for `add.stats`.
    public var json: String {
        var minValues: [JSONMember] = []
        var maxValues: [JSONMember] = []
        var nullCounts: [JSONMember] = []
        for column in columns {
            if let min = column.min { minValues.append(JSONMember(column.name, min)) }
            if let max = column.max { maxValues.append(JSONMember(column.name, max)) }
            nullCounts.append(JSONMember(column.name, .int(column.nullCount)))
        }
        return JSONWriter.encode(
            .object([
                JSONMember("numRecords", .int(numRecords)),
                JSONMember("minValues", .object(minValues)),
                JSONMember("maxValues", .object(maxValues)),
                JSONMember("nullCount", .object(nullCounts)),
            ]))
    }

    /// `numRecords` of a stats JSON text, found by scanning rather than parsing the whole object (log replay
    /// reads it for every file).
    public static func numRecords(in stats: String) -> Int64? {
        let utf8 = Array(stats.utf8)
        let needle = Array("\"numRecords\"".utf8)
        guard utf8.count > needle.count else { return nil }
        return utf8.withUnsafeBufferPointer { bytes -> Int64? in
            var index = 0
            while index + needle.count <= bytes.count {
                var matched = true
                for offset in 0..<needle.count where bytes[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched {
                    var cursor = index + needle.count
                    while cursor < bytes.count && (bytes[cursor] == 0x20 || bytes[cursor] == UInt8(ascii: ":")) {
                        cursor += 1
                    }
                    var value: Int64 = 0
                    var digits = 0
                    while cursor < bytes.count, bytes[cursor] >= 0x30, bytes[cursor] <= 0x39 {
                        value = value &* 10 &+ Int64(bytes[cursor] - 0x30)
                        cursor += 1
                        digits += 1
                    }
                    return digits > 0 ? value : nil
                }
                index += 1
            }
            return nil
        }
    }
}

/// Running min/max/null count of one column while a file's rows are gathered.
package struct ColumnSummary {
    package var nullCount: Int64 = 0
    private var minInt: Int64 = .max
    private var maxInt: Int64 = .min
    private var minDouble: Double = .infinity
    private var maxDouble: Double = -.infinity
    private var sawDouble = false
    private var sawNaN = false
    private var minBytes: [UInt8]? = nil
    private var maxBytes: [UInt8]? = nil
    private var sawFalse = false
    private var sawTrue = false

    package init() {}

    @inline(__always) package mutating func add(_ value: Int64) {
        if value < minInt { minInt = value }
        if value > maxInt { maxInt = value }
    }

    @inline(__always) package mutating func add(_ value: Double) {
        // NaN sorts above every number in Spark, DuckDB and Parquet readers: it invalidates the maximum.
        guard !value.isNaN else {
            sawNaN = true
            return
        }
        sawDouble = true
        if value < minDouble { minDouble = value }
        if value > maxDouble { maxDouble = value }
    }

    @inline(__always) package mutating func add(_ value: Bool) {
        if value { sawTrue = true } else { sawFalse = true }
    }

    package mutating func add(_ value: UnsafeRawBufferPointer) {
        if let current = minBytes {
            if ColumnSummary.lessThan(value, current) { minBytes = Array(value) }
        } else {
            minBytes = Array(value)
        }
        if let current = maxBytes {
            if ColumnSummary.lessThan(current, value) { maxBytes = Array(value) }
        } else {
            maxBytes = Array(value)
        }
    }

    private static func lessThan(_ left: UnsafeRawBufferPointer, _ right: [UInt8]) -> Bool {
        right.withUnsafeBytes { lessThan(left, $0) }
    }

    private static func lessThan(_ left: [UInt8], _ right: UnsafeRawBufferPointer) -> Bool {
        left.withUnsafeBytes { lessThan($0, right) }
    }

    /// Unsigned lexicographic order, which is code point order for UTF-8.
    static func lessThan(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Bool {
        let count = Swift.min(left.count, right.count)
        var index = 0
        // Eight bytes at a time, read big-endian so that integer order is byte order: JSON values share
        // long prefixes (`{"station_id": "S0`), and this runs for every value of every string column.
        while index + 8 <= count {
            let l = left.loadUnaligned(fromByteOffset: index, as: UInt64.self).bigEndian
            let r = right.loadUnaligned(fromByteOffset: index, as: UInt64.self).bigEndian
            if l != r { return l < r }
            index += 8
        }
        while index < count {
            if left[index] != right[index] { return left[index] < right[index] }
            index += 1
        }
        return left.count < right.count
    }

    /// The column's statistics in Delta's JSON forms for `type`.
    package func statistics(name: String, type: DeltaType) -> FileStatistics.Column {
        var min: JSONValue? = nil
        var max: JSONValue? = nil
        switch type {
        case .integer, .long:
            if minInt <= maxInt {
                min = .int(minInt)
                max = .int(maxInt)
            }
        case .date:
            if minInt <= maxInt {
                min = .string(EventTime.dateString(days: minInt))
                max = .string(EventTime.dateString(days: maxInt))
            }
        case .timestamp:
            if minInt <= maxInt {
                min = .string(EventTime.timestampString(micros: minInt))
                max = .string(EventTime.timestampString(micros: maxInt))
            }
        case .double:
            if sawDouble {
                min = .double(minDouble)
                if !sawNaN { max = .double(maxDouble) }
            }
        case .boolean:
            if sawTrue || sawFalse {
                min = .bool(!sawFalse)
                max = .bool(sawTrue)
            }
        case .binary:
            // Delta keeps no bounds for binary columns (delta-rs writes none either).
            break
        case .string:
            if let minBytes, let maxBytes {
                min = .string(ColumnSummary.prefix(minBytes))
                let maxText = String(decoding: maxBytes, as: UTF8.self)
                if maxText.unicodeScalars.count <= FileStatistics.stringPrefixLength { max = .string(maxText) }
            }
        }
        return FileStatistics.Column(name: name, nullCount: nullCount, min: min, max: max)
    }

    private static func prefix(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        let scalars = text.unicodeScalars
        guard scalars.count > FileStatistics.stringPrefixLength else { return text }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars.prefix(FileStatistics.stringPrefixLength))
        return String(view)
    }
}
