import CCrypto

/// SHA-256 from libcrypto (already on the machine with libcurl): S3 wants the payload hash in
/// `x-amz-content-sha256`, and curl 7.88 does not compute it.
public enum SHA256Digest {
    /// The digest of `bytes` as 64 lowercase hex characters.
    public static func hex(_ bytes: [UInt8]) -> String { hex(bytes[...]) }

    /// The digest of a slice (a multipart part) without copying it.
    public static func hex(_ bytes: ArraySlice<UInt8>) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        let ok = bytes.withUnsafeBytes { source in
            digest.withUnsafeMutableBufferPointer { pulse_sha256(source.baseAddress, source.count, $0.baseAddress) }
        }
        precondition(ok == 1, "libcrypto SHA-256 failed")
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(64)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The hash of no bytes, which every GET, HEAD and DELETE signs.
    public static let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
}
