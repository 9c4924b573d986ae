/// Paths of data files in a partitioned table.
///
/// Two encodings stack, as delta-rs and Spark write them (machine-facts §4):
/// 1. On disk, each partition directory is `column=value` with the value Hive-escaped: every byte that
///    is not an RFC 3986 unreserved character (`A-Z a-z 0-9 - _ . ~`) becomes `%XX`; a null or empty
///    value becomes `__HIVE_DEFAULT_PARTITION__`.
/// 2. In the log, `add.path` is that relative path URI-encoded again (PROTOCOL.md § Add File: "The path
///    is a URI ... which needs to be decoded"), so `a b` is `a%20b` on disk and `a%2520b` in the log.
public enum PartitionPath {
    /// The directory name Hive and Spark use for a null partition value.
    public static let nullValueDirectory = "__HIVE_DEFAULT_PARTITION__"

    /// `column=escaped-value` for one partition level on disk.
    public static func directory(column: String, value: String?) -> String {
        let escapedValue: String
        if let value, !value.isEmpty {
            escapedValue = percentEncode(value, keeping: { _ in false })
        } else {
            escapedValue = nullValueDirectory
        }
        return percentEncode(column, keeping: { _ in false }) + "=" + escapedValue
    }

    /// The relative directory of a file with these partition values, in partition column order ("" if none).
    public static func relativeDirectory(columns: [String], values: [String?]) -> String {
        zip(columns, values).map { directory(column: $0, value: $1) }.joined(separator: "/")
    }

    /// The `add.path` form of a relative on-disk path: `%` and anything outside unreserved, `/` and `=`
    /// percent-encoded.
    public static func logPath(relativePath: String) -> String {
        percentEncode(relativePath, keeping: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "=") })
    }

    /// The relative on-disk path of an `add.path` (percent-decoded once).
    public static func relativePath(logPath: String) -> String {
        var out = [UInt8]()
        let bytes = Array(logPath.utf8)
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
            UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// RFC 3986 percent-encoding (upper-case hex) of everything but unreserved bytes and `extra`; also
    /// the encoding SigV4 wants for S3 keys and query values.
    static func percentEncode(_ text: String, keeping extra: (UInt8) -> Bool) -> String {
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            if isUnreserved(byte) || extra(byte) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
