import SeqKernels
/// Every buffer one training window needs, allocated once and reused for every window.
///
/// Rows are time-major: row `t·B + b` is batch element b at step t. A layer's states live in one
/// [(T+1)·B × H] block whose first B rows are the state carried in from the previous window (h₀), so that
/// "the previous state" of every step, and the inputs of the weight-gradient GEMM over the whole window, are
/// plain contiguous row ranges.
public final class Workspace: @unchecked Sendable {
    public let config: ModelConfig
    /// B, sequences per window.
    public let batch: Int
    /// T, steps per window.
    public let steps: Int

    /// Token ids [T·B] (token input only).
    public let tokens: IndexBuffer
    /// Dense inputs [T·B × D] (dense input only).
    public let inputs: Tensor
    /// Class targets [T·B]; −1 marks a step that is not scored (classification head only).
    public let targets: IndexBuffer
    /// Regression targets [T·B × O] (regression head only).
    public let targetValues: Tensor
    /// 1 where a step is scored, 0 elsewhere [T·B] (regression head only; classification uses targets ≥ 0).
    public let scored: Tensor

    /// Per layer: h₀…h_T, [(T+1)·B × H].
    public let states: [Tensor]
    /// Per layer: ∂L/∂h_t arriving from above (the decoder or the next layer), [T·B × H]; the backward pass
    /// turns it in place into ∂L/∂z_t, the gradient at the pre-activation.
    public let stateGrads: [Tensor]
    /// Decoder outputs [T·B × O], overwritten in place by their gradient during the backward pass.
    public let outputs: Tensor
    /// ∂L/∂h₀ of each layer after the backward pass [B × H]: the gradient that would flow into the previous window.
    public let initialStateGrads: [Tensor]

    // The gated cells' buffers, allocated for the configuration's cell only (empty otherwise). G is the number of
    // gate blocks (4 for the LSTM, 3 for the GRU); gate blocks lie side by side in a row, H columns each.

    /// LSTM, per layer: c₀…c_T, [(T+1)·B × H], laid out as `states` (the first B rows are carried in).
    public let cellStates: [Tensor]
    /// LSTM, per layer: tanh(c_t) for t = 1…T, [T·B × H].
    let cellTanh: [Tensor]
    /// LSTM, per layer: ∂L/∂c₀ after the backward pass [B × H]; during it, the cell-state gradient carried from
    /// step t+1 into step t.
    public let initialCellGrads: [Tensor]
    /// LSTM and GRU, per layer: the activated gates of steps 1…T, [T·B × G·H] (the pre-activations while a step
    /// is being formed).
    let gates: [Tensor]
    /// LSTM and GRU, per layer: ∂L/∂(gate pre-activations) of steps 1…T, [T·B × G·H]; for the GRU, those of its
    /// input side x·W_ihᵀ + b_ih.
    let gateGrads: [Tensor]
    /// GRU, per layer: ∂L/∂(h₋·W_hhᵀ + b_hh) of steps 1…T, [T·B × 3H] (it differs from the input side's in the
    /// n block, which the reset gate scales).
    let recurrentGateGrads: [Tensor]
    /// GRU, per layer: W_hn h_{t−1} + b_hn of steps 1…T, [T·B × H].
    let recurrentCandidates: [Tensor]
    /// GRU: one step's h₋·W_hhᵀ, [B × 3H], reused by every step and layer.
    let recurrentProducts: Tensor
    /// LSTM: one step's ∂L/∂c_t for the gradient probe, [B × H].
    let cellGradScratch: Tensor

    /// Per layer, with dropout: the mask of the last training pass (0 or 1/(1−p) per element) and the layer's
    /// outputs h₁…h_T times it, which the layer above (or the decoder) reads; [T·B × H] each. Allocated on
    /// first use, so a workspace that never trains with dropout holds none.
    public private(set) lazy var dropoutMasks: [Tensor] = (0..<config.layers).map { _ in Tensor([steps * batch, config.hidden]) }
    public private(set) lazy var droppedStates: [Tensor] = (0..<config.layers).map { _ in Tensor([steps * batch, config.hidden]) }
    /// The seed of the next training pass's dropout masks: the trainer sets it from the run's seed and the
    /// step, so masks need no saved generator state to resume exactly.
    public var dropoutSeed: UInt64 = 0
    /// Whether the last forward pass applied dropout (the backward must then apply the same masks).
    public internal(set) var droppedOut = false

    /// The timing hook: when set, the model's code adds the time of each kernel family to it (the profiler
    /// attaches one; training leaves it nil).
    public var timer: PhaseTimer?

    /// Direct connections only: the K − 1 tokens before the window's first input, [(K−1) × B] (row k·B + b is
    /// k + 1 steps back in sequence b; −1 where the text had not begun or the sequence starts from the zero
    /// state). Whoever fills `tokens` fills it (`TokenStream`, `readStream`, `Sampler`); `resetState` clears it.
    public let history: IndexBuffer
    /// Direct connections only: the rows each step's contexts read, [T·B × K] (`DirectConnections`).
    public let directOffsets: IndexBuffer

    /// Mean loss over scored steps from the last forward pass.
    public internal(set) var loss: Double = 0
    /// Number of scored steps in the last forward pass.
    public internal(set) var scoredCount: Int = 0

    public init(config: ModelConfig, batch: Int, steps: Int) {
        precondition(batch > 0 && steps > 0, "a window has at least one step and one sequence")
        self.config = config
        self.batch = batch
        self.steps = steps
        let rows = batch * steps
        let h = config.hidden
        switch config.input {
        case .tokens:
            tokens = IndexBuffer(count: rows)
            inputs = Tensor([0])
        case .dense(let d):
            tokens = IndexBuffer(count: 0)
            inputs = Tensor([rows, d])
        }
        switch config.head {
        case .classification:
            targets = IndexBuffer(count: rows, repeating: -1)
            targetValues = Tensor([0])
            scored = Tensor([0])
        case .regression(let o):
            targets = IndexBuffer(count: 0)
            targetValues = Tensor([rows, o])
            scored = Tensor([rows])
        }
        history = IndexBuffer(count: max(config.directOrders - 1, 0) * batch, repeating: -1)
        directOffsets = IndexBuffer(count: config.directOrders * rows, repeating: -1)
        states = (0..<config.layers).map { _ in Tensor([rows + batch, h]) }
        stateGrads = (0..<config.layers).map { _ in Tensor([rows, h]) }
        initialStateGrads = (0..<config.layers).map { _ in Tensor([batch, h]) }
        outputs = Tensor([rows, config.outputWidth])

        let (lstm, gru) = (config.cell == .lstm, config.cell == .gru)
        func perLayer(_ wanted: Bool, _ shape: [Int]) -> [Tensor] {
            (0..<config.layers).map { _ in Tensor(wanted ? shape : [0]) }
        }
        let gateWidth = config.cell.gateCount * h
        cellStates = perLayer(lstm, [rows + batch, h])
        cellTanh = perLayer(lstm, [rows, h])
        initialCellGrads = perLayer(lstm, [batch, h])
        gates = perLayer(lstm || gru, [rows, gateWidth])
        gateGrads = perLayer(lstm || gru, [rows, gateWidth])
        recurrentGateGrads = perLayer(gru, [rows, gateWidth])
        recurrentCandidates = perLayer(gru, [rows, h])
        recurrentProducts = Tensor(gru ? [batch, gateWidth] : [0])
        cellGradScratch = Tensor(lstm ? [batch, h] : [0])
    }

    /// Every block laid out as h₀…h_T, [(T+1)·B × H]: the layers' hidden states, then the LSTM's cell states.
    public var recurrentStates: [Tensor] { config.cell == .lstm ? states + cellStates : states }

    /// Carries each layer's last state h_T (and c_T) into h₀ (c₀) for the next window (truncated BPTT over a long
    /// stream).
    public func carryState() {
        let h = config.hidden
        for s in recurrentStates { s.data.update(from: s.data + steps * batch * h, count: batch * h) }
    }

    /// Zeroes every layer's h₀ (and c₀), and forgets the tokens before the window: independent sequences.
    public func resetState() {
        let n = batch * config.hidden
        for s in recurrentStates { s.data.update(repeating: 0, count: n) }
        history.fill(-1)
    }

    /// Zeroes sequence `row`'s h₀ (and c₀) in every layer: that sequence starts this window from the zero state.
    public func resetState(row: Int) {
        precondition(row >= 0 && row < batch, "resetState(row:): no sequence \(row)")
        for s in recurrentStates { (s.data + row * config.hidden).update(repeating: 0, count: config.hidden) }
        for k in 0..<(history.count / batch) { history[k * batch + row] = -1 }
    }

    /// Sets the tokens before the window from a text: sequence `row`'s first input is `text[start]`, so
    /// history row k is `text[start − 1 − k]` (−1 before the text begins).
    public func setHistory(row: Int, from text: UnsafeBufferPointer<Int32>, start: Int) {
        for k in 0..<(history.count / batch) {
            let i = start - 1 - k
            history[k * batch + row] = i >= 0 ? text[i] : -1
        }
    }

    /// Pointer to layer `l`'s state h_t (t = 0…T), [B × H].
    @inline(__always) func state(_ l: Int, _ t: Int) -> UnsafeMutablePointer<Float> {
        states[l].data + t * batch * config.hidden
    }

    /// Pointer to layer `l`'s cell state c_t (t = 0…T), [B × H] (LSTM).
    @inline(__always) func cellState(_ l: Int, _ t: Int) -> UnsafeMutablePointer<Float> {
        cellStates[l].data + t * batch * config.hidden
    }

    /// A timer reading to start a phase from (0 when no timer is attached).
    @inlinable public func clockReading() -> UInt64 { timer?.now() ?? 0 }

    /// Charges the time since `mark` to `phase` and restarts `mark`; nothing without a timer.
    @inlinable public func lap(_ phase: StepPhase, _ mark: inout UInt64) {
        if let timer { mark = timer.record(phase, since: mark) }
    }

    /// Sets the window's loss from outside the forward pass: a step split into parts (`BatchSplit`) combines the
    /// parts' losses into the whole window's.
    public func setLoss(_ loss: Double, scoredCount: Int) {
        self.loss = loss
        self.scoredCount = scoredCount
    }

    /// The top layer's outputs h₁…h_T as one [T·B × H] block.
    var topStates: UnsafeMutablePointer<Float> { state(config.layers - 1, 1) }
}

/// A fixed-size buffer of Int32 (token ids, targets), with the same no-copy access as `Tensor`.
public final class IndexBuffer: @unchecked Sendable {
    public let count: Int
    public let data: UnsafeMutablePointer<Int32>

    public init(count: Int, repeating value: Int32 = 0) {
        self.count = count
        data = .allocate(capacity: max(count, 1))
        data.initialize(repeating: value, count: max(count, 1))
    }

    deinit { data.deallocate() }

    public subscript(i: Int) -> Int32 {
        get { data[i] }
        set { data[i] = newValue }
    }

    public func fill(_ value: Int32) { data.update(repeating: value, count: count) }
}
