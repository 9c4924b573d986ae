/// The one error type of the Parquet layer: what failed (`code`) and the context a user needs to act (`message`).
public struct ParquetError: Error, CustomStringConvertible, Sendable {
    /// A stable, extensible error category; compare against the static members (`.corruptFooter`, ...).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case corruptFooter, corruptPage, unsupported, compressionFailed, invalidColumn, invalidSchema
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The footer (magic, length, FileMetaData) could not be parsed.
        public static let corruptFooter = Code(.corruptFooter)
        /// A page header or page body is malformed or inconsistent with the metadata.
        public static let corruptPage = Code(.corruptPage)
        /// The file uses a feature this implementation does not read or write.
        public static let unsupported = Code(.unsupported)
        /// zstd compression or decompression failed.
        public static let compressionFailed = Code(.compressionFailed)
        /// Column data handed to the writer (or a column index) does not fit the schema.
        public static let invalidColumn = Code(.invalidColumn)
        /// The schema tree is malformed (e.g. an empty group).
        public static let invalidSchema = Code(.invalidSchema)

        public var description: String {
            switch base {
            case .corruptFooter: "corruptFooter"
            case .corruptPage: "corruptPage"
            case .unsupported: "unsupported"
            case .compressionFailed: "compressionFailed"
            case .invalidColumn: "invalidColumn"
            case .invalidSchema: "invalidSchema"
            }
        }
    }

    public var code: Code
    public var message: String

    /// Creates an error with its category and a message naming the column, offset or value involved.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "ParquetError.\(code): \(message)" }

    static func corruptFooter(_ message: String) -> ParquetError { .init(.corruptFooter, message) }
    static func corruptPage(_ message: String) -> ParquetError { .init(.corruptPage, message) }
    static func unsupported(_ message: String) -> ParquetError { .init(.unsupported, message) }
    static func compressionFailed(_ message: String) -> ParquetError { .init(.compressionFailed, message) }
    static func invalidColumn(_ message: String) -> ParquetError { .init(.invalidColumn, message) }
    static func invalidSchema(_ message: String) -> ParquetError { .init(.invalidSchema, message) }
}
