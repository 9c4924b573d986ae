import Dispatch
import Synchronization

/// Runs the independent pieces of one step (the data files of a commit, the Gold states of a batch) at
/// once: encoding overlaps on the machine's cores, and each piece's write (an fsync, an S3 round trip)
/// overlaps the others'. The step still ends only when every piece has: callers see the same
/// all-or-error outcome as a loop.
enum ParallelWork {
    /// Pieces in flight at once: more than the cores, since most of a piece's time is a write's wait.
    static let width = 8

    /// `body(i)` for every i in 0..<count, in parallel; each outcome in index order, once every piece
    /// has finished (a caller can undo the pieces that succeeded when another failed).
    static func map<T>(_ count: Int, _ body: (Int) throws -> T) -> [Result<T, any Error>] {
        if count <= 1 { return (0..<count).map { i in Result { try body(i) } } }
        var results = [Result<T, any Error>?](repeating: nil, count: count)
        withoutActuallyEscaping(body) { body in
            results.withUnsafeMutableBufferPointer { slots in
                // Each index is taken by exactly one worker and written once; the caller reads the slots
                // only after every worker has left. `body` is used only until then.
                let shared = Unchecked((slots, body))
                let next = Atomic<Int>(0)
                let group = DispatchGroup()
                withUnsafePointer(to: next) { next in
                    let counter = Unchecked(next)
                    for _ in 0..<min(width, count) {
                        DispatchQueue.global().async(group: group) {
                            while true {
                                let i = counter.value.pointee.wrappingAdd(1, ordering: .relaxed).oldValue
                                if i >= count { return }
                                shared.value.0[i] = Result { try shared.value.1(i) }
                            }
                        }
                    }
                    group.wait()
                }
            }
        }
        return results.map { $0! }
    }
}
