import CGlibcExtras
import Glibc

/// Starts a named OS thread that runs one long-lived loop (a pipeline, a producer), without Foundation.
/// Safe because `body` is `@Sendable`: the thread shares only what the closure's Sendable captures allow.
public enum DedicatedThread {
    /// Runs `body` on a new detached thread named `name` (shown by top -H and gdb) with `stackSize` bytes
    /// of stack; returns once the thread is started.
    public static func start(name: String, stackSize: Int = 8 << 20, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(ThreadBody(name: name, body: body))
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let result = pthread_create(
            &thread, &attributes,
            { context in
                let body = Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue()
                pulse_set_thread_name(body.name)
                body.body()
                return nil
            }, box.toOpaque())
        precondition(result == 0, "pthread_create failed: \(result)")
    }
}

/// What a `DedicatedThread` runs; handed to the new thread through its opaque context pointer.
private final class ThreadBody: Sendable {
    let name: String
    let body: @Sendable () -> Void
    init(name: String, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }
}
