/// How a failed batch reads on the status line and the dashboard: the cause first ("no space left (No
/// space left on device)"), then the operation and where, so the part a user acts on survives when a
/// narrow panel cuts the line. The log keeps the error's full description.
enum FailureMessage {
    static func describe(_ error: any Error) -> String {
        if let delta = error as? DeltaError, let storage = delta.storageError { return describe(storage) }
        if let storage = error as? StorageError { return describe(storage) }
        return "\(error)"
    }

    private static func describe(_ error: StorageError) -> String {
        var text = "\(error.code)"
        if !error.message.isEmpty { text += " (\(error.message))" }
        return text + ": \(error.operation) of '\(error.key)' in \(error.store)"
    }
}
