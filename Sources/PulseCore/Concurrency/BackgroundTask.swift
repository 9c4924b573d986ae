import Dispatch

/// One piece of a micro-batch run on another thread while the batch's thread goes on; `wait` joins it.
/// The work is `@Sendable`: it gets the values it needs (a table handed over for the duration, record
/// batches by value), never the pipeline itself.
final class BackgroundTask<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `outcome` is written once by the task before `done` is signalled and read only after
    // `wait` has seen that signal; `joined` is touched only by the thread that created the task.
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Result<Value, any Error>?
    private var joined = false

    /// Starts `work` now.
    init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global().async { [self] in
            outcome = Result { try work() }
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
