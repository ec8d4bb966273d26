import Dispatch
import SeqKernels
/// Hashed n-gram features wired straight to the output: the "direct connections" of Mikolov et al. (2011,
/// RNNME), a log-linear n-gram model trained jointly with the network.
///
/// For the step that reads x_t, each context length n = 1…K (x_t, x_{t−1}x_t, …, x_{t−K+1}…x_t) hashes to an
/// offset o_n in one table w of 2^bits weights, and the logits become
///
///     y_t[v] = W_dec h_t + b_dec + Σ_n w[o_n + v],    v = 0…V−1,
///
/// so ∂L/∂w[o_n + v] = Σ over the steps and lengths that land there of ∂L/∂y_t[v]. Rows of different contexts
/// may overlap or collide (the table is a hash, not a dictionary); a length stops where the context reaches
/// past what is known (the start of the text or a zero-state reset), and so do all longer ones.
///
/// The table is sparse in use — a window touches at most T·B·K rows of V — so its gradient is gathered into
/// `gradient` and applied to the touched entries only, by Adagrad (`update`), which also scales each entry's
/// step down with how often its context occurs.
public final class DirectConnections: @unchecked Sendable {
    /// K, the longest context: with K = 6 the features are those of a 7-gram model.
    public let orders: Int
    /// V, the width of a row (the decoder's output width).
    public let width: Int
    /// w, [2^bits] (named `direct.weight` in checkpoints); starts at zero.
    public let weights: Tensor
    /// ∂L/∂w, kept at zero outside the rows being gathered.
    let gradient: Tensor
    /// Adagrad's Σg² per weight (`optimizer.direct.weight.sum` in checkpoints).
    public let squaredGradientSum: Tensor
    /// Parts of the table gathered and updated at the same time, one per thread (1 or 2); the results do not
    /// depend on it.
    public var threads = 1 {
        didSet { precondition(threads == 1 || threads == 2, "DirectConnections: 1 or 2 threads") }
    }
    /// First offsets of the rows gathered into `gradient` since the last update, one list per part of the table
    /// (each thread appends to its own).
    private final class RowList: @unchecked Sendable { var offsets: [Int32] = [] }
    private let touched = [RowList(), RowList()]

    /// The context lengths K and table sizes b (2^b weights) a table may have.
    public static let ordersRange = 1...8
    public static let bitsRange = 10...26

    public init(orders: Int, bits: Int, width: Int) {
        precondition(Self.ordersRange.contains(orders), "DirectConnections: orders must be 1…8")
        precondition(Self.bitsRange.contains(bits) && (1 << bits) > 2 * width, "DirectConnections: table too small")
        self.orders = orders
        self.width = width
        weights = Tensor([1 << bits])
        gradient = Tensor([1 << bits])
        squaredGradientSum = Tensor([1 << bits])
    }

    /// The K context lengths' row offsets of every step of the window, into `ws.directOffsets` (−1 past the
    /// known context): row r = t·B + b holds those of step t of sequence b, shortest context first.
    func computeOffsets(_ ws: Workspace) {
        let (T, B, K) = (ws.steps, ws.batch, orders)
        let rows = UInt64(weights.count - width)
        for t in 0..<T {
            for b in 0..<B {
                let out = ws.directOffsets.data + (t * B + b) * K
                var hash: UInt64 = 0xCBF2_9CE4_8422_2325                  // FNV-1a over the context, newest first
                var n = 0
                while n < K {
                    let back = t - n
                    let token = back >= 0 ? ws.tokens[back * B + b] : ws.history[(-back - 1) * B + b]
                    if token < 0 { break }
                    hash = (hash ^ UInt64(UInt32(bitPattern: token) &+ 1)) &* 0x0000_0100_0000_01B3
                    out[n] = Int32(truncatingIfNeeded: mix(hash &+ UInt64(n + 1) &* 0x9E37_79B9_7F4A_7C15) % rows)
                    n += 1
                }
                while n < K { out[n] = -1; n += 1 }
            }
        }
    }

    /// y_t[v] += Σ_n w[o_n + v] over the window's logits `ws.outputs` (after `computeOffsets`).
    func addToLogits(_ ws: Workspace) {
        let (rows, K, v) = (ws.steps * ws.batch, orders, width)
        for r in 0..<rows {
            let offsets = ws.directOffsets.data + r * K
            for n in 0..<K where offsets[n] >= 0 {
                add(weights.data + Int(offsets[n]), into: ws.outputs.data + r * v, count: v)
            }
        }
    }

    /// Adds Σ scale · ∂L/∂y of each window (its outputs after the backward pass) into `gradient` at the rows its
    /// steps read, windows in the order given (the halves of a split batch), rows in order, so every weight sums
    /// its terms in the same order whatever `threads` is: with 2, each thread takes one half of the table's
    /// addresses and the part of every row that falls in it.
    public func gatherGradient(from windows: [(ws: Workspace, scale: Float)]) {
        inParts { part, range in
            for (ws, scale) in windows {
                let (rows, K, v) = (ws.steps * ws.batch, orders, width)
                for r in 0..<rows where ws.targets[r] >= 0 {
                    let offsets = ws.directOffsets.data + r * K
                    for n in 0..<K where offsets[n] >= 0 {
                        let o = Int(offsets[n])
                        let (a, b) = (max(o, range.lowerBound), min(o + v, range.upperBound))
                        guard a < b else { continue }
                        add(ws.outputs.data + r * v + (a - o), scaledBy: scale, into: gradient.data + a, count: b - a)
                        touched[part].offsets.append(offsets[n])
                    }
                }
            }
        }
    }

    /// One Adagrad step on every entry gathered since the last update, then the gradient back to zero:
    /// s += g², w −= lr · g / (√s + ε). Entries a row did not reach have g = 0 and do not move, so the result
    /// does not depend on how the touched rows are cut into intervals (or `threads`). Returns whether every
    /// updated weight is finite.
    @discardableResult
    public func update(learningRate lr: Float, epsilon: Float = 1e-10) -> Bool {
        var finite = [Bool](repeating: true, count: threads)
        finite.withUnsafeMutableBufferPointer { finite in
            inParts { part, range in
                forEachTouchedInterval(part, range) { start, count in
                    let w = weights.data + start
                    adagradUpdate(param: w, grad: gradient.data + start, accumulator: squaredGradientSum.data + start,
                                  count: count, lr: lr, eps: epsilon)
                    (gradient.data + start).update(repeating: 0, count: count)
                    if !sumOfSquares(w, count: count).isFinite { finite[part] = false }
                }
            }
        }
        for list in touched { list.offsets.removeAll(keepingCapacity: true) }
        return !finite.contains(false)
    }

    /// Forgets a gathered gradient without applying it (a step that diverged).
    public func discardGradient() {
        for part in 0..<threads {
            forEachTouchedInterval(part, partRange(part)) { start, count in
                (gradient.data + start).update(repeating: 0, count: count)
            }
        }
        for list in touched { list.offsets.removeAll(keepingCapacity: true) }
    }

    /// Part `part` of `threads` equal address ranges of the table.
    private func partRange(_ part: Int) -> Range<Int> {
        let n = weights.count
        return (part * n / threads)..<((part + 1) * n / threads)
    }

    /// Runs `body` for each part of the table, on a thread each when there are two (flushing denormals as every
    /// worker of the step does, so both threads compute the same bits as one).
    private func inParts(_ body: (_ part: Int, _ range: Range<Int>) -> Void) {
        if threads == 1 { return body(0, partRange(0)) }
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let body = body       // each call touches its own part of every buffer
            DispatchQueue.concurrentPerform(iterations: threads) { part in
                flushDenormalsToZero()
                body(part, partRange(part))
            }
        }
    }

    /// The union of part `part`'s touched rows [o, o + V), cut to `range`, as disjoint intervals in increasing
    /// order.
    private func forEachTouchedInterval(_ part: Int, _ range: Range<Int>, _ body: (_ start: Int, _ count: Int) -> Void) {
        touched[part].offsets.sort()
        let list = touched[part].offsets, v = width
        var i = 0
        while i < list.count {
            let start = max(Int(list[i]), range.lowerBound)
            var end = min(Int(list[i]) + v, range.upperBound)
            i += 1
            while i < list.count && Int(list[i]) <= end {
                end = min(Int(list[i]) + v, range.upperBound)
                i += 1
            }
            body(start, end - start)
        }
    }

    /// SplitMix64's finaliser: spreads the context hash over the table.
    private func mix(_ x: UInt64) -> UInt64 {
        var z = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
