/// What went wrong in the producers layer, with the value that was refused.
public struct ProducerError: Error, Sendable, CustomStringConvertible {
    /// A message a user can act on, e.g. "--speed must be a finite number > 0, got 0".
    public let message: String

    /// Creates an error with a user-facing message.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
