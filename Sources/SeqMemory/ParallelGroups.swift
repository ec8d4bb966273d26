import Dispatch
import SeqKernels
import SeqModel

/// Runs `count` independent groups on up to `threads` threads, each thread with its own replica of the model
/// (layers keep packing buffers) and its own workspaces, and returns the results in group order.
enum ParallelGroups {
    /// The buffers a thread keeps between groups of the same shape (one shape at a time: a window of 256 steps
    /// is tens of megabytes).
    final class Cache {
        private var keptWorkspace: (key: [Int], value: Workspace)?
        private var keptTensor: Tensor?

        func workspace(config: ModelConfig, batch: Int, steps: Int) -> Workspace {
            if let kept = keptWorkspace, kept.key == [batch, steps] { return kept.value }
            let ws = Workspace(config: config, batch: batch, steps: steps)
            keptWorkspace = ([batch, steps], ws)
            return ws
        }

        func tensor(_ shape: [Int]) -> Tensor {
            if let kept = keptTensor, kept.shape == shape { return kept }
            let t = Tensor(shape)
            keptTensor = t
            return t
        }
    }

    static func map<R>(count: Int, threads: Int, model: RNNModel,
                       _ body: @escaping @Sendable (Int, RNNModel, Cache) -> R) -> [R] {
        let workers = max(1, min(threads, count))
        var results = [R?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { buffer in
            let slots = UnsafeSendable(buffer)
            let work: @Sendable (Int) -> Void = { w in
                flushDenormalsToZero()
                let replica = workers == 1 ? model : RNNModel(sharingWeightsOf: model)
                let cache = Cache()
                for g in stride(from: w, to: count, by: workers) { slots.value[g] = body(g, replica, cache) }
            }
            if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
        }
        return results.map { $0! }
    }
}

/// A value handed to worker threads that write disjoint parts of it.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
