import CZstd

/// Owns one zstd compression context (reused across the pages of a file write, so compressing a page
/// allocates no zstd state) and decompresses page bodies. The only Parquet file that touches libzstd.
final class ZstdCodec {
    private let context: OpaquePointer
    let level: Int32

    /// Creates a compression context for `level` (zstd's 1...22; 3 is zstd's default).
    init(level: Int32) throws {
        guard let context = ZSTD_createCCtx() else {
            throw ParquetError.compressionFailed("ZSTD_createCCtx returned NULL (out of memory?)")
        }
        self.context = context
        self.level = level
    }

    deinit { ZSTD_freeCCtx(context) }

    /// Compresses `input` into `output` (replacing its contents).
    func compress(_ input: [UInt8], into output: inout [UInt8]) throws {
        let bound = ZSTD_compressBound(input.count)
        if output.count < bound { output = [UInt8](repeating: 0, count: bound) }
        let written = input.withUnsafeBytes { src in
            output.withUnsafeMutableBytes { dst in
                ZSTD_compressCCtx(context, dst.baseAddress, dst.count, src.baseAddress, src.count, level)
            }
        }
        if ZSTD_isError(written) != 0 {
            throw ParquetError.compressionFailed(
                "zstd level \(level) failed on \(input.count) bytes: \(String(cString: ZSTD_getErrorName(written)))")
        }
        output.removeLast(output.count - written)
    }

    /// Decompresses a page body whose uncompressed size the page header states.
    static func decompress(_ input: UnsafeRawBufferPointer, uncompressedSize: Int) throws -> [UInt8] {
        guard uncompressedSize >= 0 else {
            throw ParquetError.corruptPage("negative uncompressed page size \(uncompressedSize)")
        }
        var failure: Int = 0
        let output = [UInt8](unsafeUninitializedCapacity: uncompressedSize) { buffer, initialized in
            let result = ZSTD_decompress(buffer.baseAddress, uncompressedSize, input.baseAddress, input.count)
            if ZSTD_isError(result) != 0 {
                failure = result
                initialized = 0
            } else {
                initialized = result
            }
        }
        if failure != 0 {
            throw ParquetError.compressionFailed(
                "zstd decompression failed: \(String(cString: ZSTD_getErrorName(failure)))")
        }
        guard output.count == uncompressedSize else {
            throw ParquetError.corruptPage(
                "zstd page decompressed to \(output.count) bytes, header says \(uncompressedSize)")
        }
        return output
    }
}
