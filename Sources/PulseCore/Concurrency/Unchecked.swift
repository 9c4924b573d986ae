/// Carries a value across a Sendable boundary whose safety the code around it establishes. Each use
/// says why at the point of use; the uses are:
/// - `ParallelWork.map`: result slots each written by exactly one worker, and the body, used only until
///   every worker has left (`DispatchGroup.wait`) before the caller reads a slot.
/// - `SilverStage.parse`: the tail buffers, touched only by the second parsing thread until the caller's
///   `DispatchGroup.wait` returns, inside the pointers' scopes.
struct Unchecked<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
