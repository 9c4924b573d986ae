/// Errors of the Pipeline layer, with what failed and what to do about it. Bad records are
/// not errors (they are `RejectReason`s and go to quarantine); these are failures of state
/// the engine itself wrote, such as a Gold window state that cannot be read back.
public struct PipelineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Kinds of failure; wrapped so cases can be added without breaking callers' switches.
    public struct Code: Sendable, Equatable, CustomStringConvertible {
        enum Kind: Sendable, Equatable { case corruptWindowState, incompatibleWindowState, corruptState }
        let kind: Kind
        /// Gold window state bytes are truncated or inconsistent.
        public static let corruptWindowState = Code(kind: .corruptWindowState)
        /// Gold window state was written by another format version or for another pipeline.
        public static let incompatibleWindowState = Code(kind: .incompatibleWindowState)
        /// A file the engine's progress depends on (epochs.json) is damaged: a person must look.
        public static let corruptState = Code(kind: .corruptState)
        public var description: String {
            switch kind {
            case .corruptWindowState: return "corrupt window state"
            case .incompatibleWindowState: return "incompatible window state"
            case .corruptState: return "corrupt state"
            }
        }
    }

    public let code: Code
    public let message: String

    /// An error of kind `code`; `message` says what failed and where.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
