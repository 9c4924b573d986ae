import Dispatch

/// One piece of a micro-batch run on another thread while the batch's thread goes on; `wait` joins it.
/// Every task must be waited for before the data it reads changes.
final class BackgroundTask<Value>: @unchecked Sendable {
    // @unchecked: `outcome` is written by the task before `done` is signalled and read after it.
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Result<Value, any Error>?
    private var joined = false

    /// Starts `work` now; whatever it captures is the caller's to keep unchanged until `wait`.
    init(_ work: @escaping () throws -> Value) {
        let task = Unchecked(work)
        DispatchQueue.global().async { [self] in
            outcome = Result { try task.value() }
            done.signal()
        }
    }

    /// Waits for the task (once) and returns its value or rethrows its error.
    func wait() throws -> Value {
        if !joined {
            done.wait()
            joined = true
        }
        return try outcome!.get()
    }
}
