import SeqKernels
/// A stack of recurrent layers of one cell, a linear decoder, and a loss: the whole network, forward and backward.
///
///     h⁰_t = x_t,   hˡ_t = cell(hˡ⁻¹_t, hˡ_{t−1}),   y_t = W_dec h^L_t + b_dec
///
/// with the Elman cell hˡ_t = act(W_ihˡ hˡ⁻¹_t + W_hhˡ hˡ_{t−1} + bˡ), or the LSTM, GRU or IndRNN (`Cell`).
public final class RNNModel: @unchecked Sendable {
    public let config: ModelConfig
    let layers: [any RecurrentLayer]
    /// W_decᵀ, [H × O].
    public let decoderWeight: Parameter
    /// b_dec, [O].
    public let decoderBias: Parameter
    /// W_dec in PyTorch's layout [O × H], rebuilt at each backward: ∂L/∂h_t = ∂L/∂y_t · W_dec.
    private let decoderWeightT: Tensor
    /// The hashed n-gram features added to the logits, when `config.directOrders` > 0 (shared by replicas; the
    /// trainer gathers and applies their gradient, which nothing in the network depends on).
    public let direct: DirectConnections?

    /// Every parameter, in checkpoint order: per layer W_ih, W_hh (u for the IndRNN), the bias (both biases for
    /// the GRU); then the decoder's weight and bias.
    public let parameters: [Parameter]

    /// A network initialised from `seed` with `config.initialization`; the decoder always starts as PyTorch's
    /// `nn.Linear` does, U(±1/√H) for weight and bias.
    public init(config: ModelConfig, seed: UInt64) {
        self.config = config
        let h = config.hidden, o = config.outputWidth
        var rng = Xoshiro256StarStar(seed: seed)
        let initialization = config.initialization
        layers = (0..<config.layers).map { l -> any RecurrentLayer in
            let inputs = l == 0 ? config.inputWidth : h
            switch config.cell {
            case .rnn:
                let layer = ElmanLayer(index: l, inputWidth: inputs, hidden: h, activation: config.activation)
                initialization.fill(wih: layer.inputWeight.value, whh: layer.recurrentWeight.value,
                                    bias: layer.bias.value, inputs: inputs, hidden: h, rng: &rng)
                return layer
            case .lstm:
                let layer = LSTMLayer(index: l, inputWidth: inputs, hidden: h)
                initialization.fillGated(wih: layer.inputWeight.value, whh: layer.recurrentWeight.value,
                                         biases: [layer.bias.value], summedBias: true, gates: 4, inputs: inputs,
                                         hidden: h, rng: &rng)
                return layer
            case .gru:
                let layer = GRULayer(index: l, inputWidth: inputs, hidden: h)
                initialization.fillGated(wih: layer.inputWeight.value, whh: layer.recurrentWeight.value,
                                         biases: [layer.inputBias.value, layer.recurrentBias.value], summedBias: false,
                                         gates: 3, inputs: inputs, hidden: h, rng: &rng)
                return layer
            case .indrnn:
                var bound: Float?
                if case .indRNN(let horizon) = initialization { bound = Initialization.indRNNBound(horizon: horizon) }
                let layer = IndRNNLayer(index: l, inputWidth: inputs, hidden: h, activation: config.activation,
                                        recurrentBound: bound)
                initialization.fillIndRNN(wih: layer.inputWeight.value, u: layer.recurrentWeight.value,
                                          bias: layer.bias.value, hidden: h, last: l == config.layers - 1, rng: &rng)
                return layer
            }
        }
        decoderWeight = Parameter(name: "decoder.weight", shape: [h, o], storedTransposed: true)
        decoderBias = Parameter(name: "decoder.bias", shape: [o])
        decoderWeightT = Tensor([o, h])
        parameters = layers.flatMap(\.parameters) + [decoderWeight, decoderBias]

        let r = 1 / Float(h).squareRoot()
        fillUniform(decoderWeight.value, r, &rng)
        fillUniform(decoderBias.value, r, &rng)
        direct = RNNModel.directConnections(config)
    }

    private static func directConnections(_ config: ModelConfig) -> DirectConnections? {
        guard config.directOrders > 0 else { return nil }
        guard case .tokens = config.input, case .classification = config.head else {
            preconditionFailure("direct connections need token input and a classification head")
        }
        return DirectConnections(orders: config.directOrders, bits: config.directBits, width: config.outputWidth)
    }

    /// A replica that computes with this model's weights (the same tensors, so every update shows at once) but
    /// accumulates gradients of its own: one per half of a split batch.
    public init(sharingWeightsOf other: RNNModel) {
        config = other.config
        layers = other.layers.map { $0.replica() }
        decoderWeight = Parameter(sharingValueOf: other.decoderWeight)
        decoderBias = Parameter(sharingValueOf: other.decoderBias)
        decoderWeightT = Tensor([config.outputWidth, config.hidden])
        parameters = layers.flatMap(\.parameters) + [decoderWeight, decoderBias]
        direct = other.direct
    }

    /// The recurrent weight of layer `l`: W_hhᵀ [H × G·H], or the IndRNN's u [H] (for spectral measurements).
    public func recurrentWeight(layer l: Int) -> Tensor { recurrentParameter(layer: l).value }

    /// Layer `l`'s recurrent weight as a parameter, with its gradient (what weight drop masks).
    public func recurrentParameter(layer l: Int) -> Parameter { layers[l].parameters[1] }

    /// Puts every weight back into the set its cell confines it to (the IndRNN's bound on u, when its
    /// initialisation sets one); the optimizer calls it after each update.
    public func constrainWeights() {
        for layer in layers { layer.constrainWeights() }
    }

    /// Runs the window in `ws` from its h₀ and returns the mean loss over scored steps. With `gradient`, the
    /// loss gradient w.r.t. the outputs replaces the outputs in place, ready for `backward`.
    @discardableResult
    public func forward(_ ws: Workspace, gradient: Bool) -> Double {
        // Layer after layer, each over the whole window, so one layer's packed weights stay in L2 for its T steps.
        // Step by step through the stack instead (both passes, the backward skewed a step per layer to keep the
        // same sums) reads h_t and ∂L/∂x_t while still in cache, but cycles every layer's packed weights through
        // L2 at each step, and was no faster (docs/kernels.md).
        ws.droppedOut = gradient && config.dropout > 0
        for (l, layer) in layers.enumerated() {
            layer.forward(ws, input: input(of: l, ws))
            if ws.droppedOut { dropOut(layer: l, ws) }
        }
        let (rows, h, o) = (ws.steps * ws.batch, config.hidden, config.outputWidth)
        var mark = ws.clockReading()
        gemm(m: rows, n: o, k: h, a: output(of: config.layers - 1, ws), lda: h, transA: false,
             b: decoderWeight.value.data, ldb: o, transB: false, c: ws.outputs.data, ldc: o, accumulate: false)
        biasActivationForward(.identity, ws.outputs.data, rows: rows, cols: o, ld: o, bias: decoderBias.value.data)
        if let direct {
            direct.computeOffsets(ws)
            direct.addToLogits(ws)
        }
        ws.lap(.decoderForward, &mark)
        let (loss, n): (Double, Int)
        switch config.head {
        case .classification: (loss, n) = Loss.crossEntropy(ws, gradient: gradient)
        case .regression: (loss, n) = Loss.meanSquaredError(ws, gradient: gradient)
        }
        ws.lap(.softmax, &mark)
        ws.loss = loss
        ws.scoredCount = n
        return loss
    }

    /// Accumulates ∂L/∂θ into every parameter's `grad` (call `zeroGradients` first), after `forward(ws, gradient: true)`.
    /// `inputGradients`, if given ([T·B × input width]), receives ∂L/∂x_t for the first layer's input: for token
    /// input, the gradient with respect to the one-hot vector, ∂L/∂x_t[v] = ∂L/∂(x_t·W_ihᵀ) · (row v of W_ihᵀ).
    public func backward(_ ws: Workspace, probe: GradientProbe? = nil, inputGradients: Tensor? = nil) {
        let (rows, h, o) = (ws.steps * ws.batch, config.hidden, config.outputWidth)
        let dy = ws.outputs.data
        var mark = ws.clockReading()
        gemm(m: h, n: o, k: rows, a: output(of: config.layers - 1, ws), lda: h, transA: true,
             b: dy, ldb: o, transB: false, c: decoderWeight.grad.data, ldc: o, accumulate: true)
        addColumnSums(dy, rows: rows, cols: o, ld: o, into: decoderBias.grad.data)
        // ∂L/∂h_t for the top layer, one product over the window. Formed step by step inside the top layer's
        // backward instead, just before each step needs it (the same sums), it was no faster (docs/kernels.md).
        transpose(decoderWeight.value.data, rows: h, cols: o, into: decoderWeightT.data)
        gemm(m: rows, n: h, k: o, a: dy, lda: o, transA: false,
             b: decoderWeightT.data, ldb: h, transB: false, c: ws.stateGrads[config.layers - 1].data, ldc: h,
             accumulate: false)
        ws.lap(.decoderBackward, &mark)
        // Each ∂L/∂(dropped output) becomes ∂L/∂h through the same mask before the layer below reads it.
        if ws.droppedOut { maskGradient(layer: config.layers - 1, ws) }
        for l in stride(from: config.layers - 1, through: 0, by: -1) {
            if l == 0, let inputGradients {
                precondition(inputGradients.count >= rows * config.inputWidth, "backward: inputGradients is too small")
            }
            let below = l > 0 ? ws.stateGrads[l - 1].data : inputGradients?.data
            layers[l].backward(ws, input: input(of: l, ws), inputGrad: below, probe: probe)
            if ws.droppedOut && l > 0 { maskGradient(layer: l - 1, ws) }
        }
    }

    public func zeroGradients() {
        for p in parameters { p.grad.zero() }
    }

    private func input(of l: Int, _ ws: Workspace) -> LayerInput {
        if l > 0 { return .dense(output(of: l - 1, ws)) }
        switch config.input {
        case .tokens: return .tokens(ws.tokens.data)
        case .dense: return .dense(ws.inputs.data)
        }
    }

    /// Layer `l`'s outputs h₁…h_T as the layer above and the decoder read them: dropped out in a training pass
    /// with dropout, as computed otherwise.
    private func output(of l: Int, _ ws: Workspace) -> UnsafeMutablePointer<Float> {
        ws.droppedOut ? ws.droppedStates[l].data : ws.state(l, 1)
    }

    /// Draws layer `l`'s mask — each element kept with probability 1 − p, as 1/(1−p), else 0 — from a generator
    /// seeded by the pass's seed and the layer alone, and applies it to the layer's outputs.
    private func dropOut(layer l: Int, _ ws: Workspace) {
        var mark = ws.clockReading()
        let count = ws.steps * ws.batch * config.hidden
        let mask = ws.dropoutMasks[l].data
        var rng = Xoshiro256StarStar(seed: ws.dropoutSeed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(l + 1))
        rng.fillDropoutMask(mask, count: count, probability: config.dropout)
        multiply(ws.state(l, 1), mask, into: ws.droppedStates[l].data, count: count)
        ws.lap(.activations, &mark)
    }

    /// ∂L/∂h = ∂L/∂(dropped output) ⊙ mask, in place in layer `l`'s state gradients.
    private func maskGradient(layer l: Int, _ ws: Workspace) {
        var mark = ws.clockReading()
        let grads = ws.stateGrads[l].data
        multiply(grads, ws.dropoutMasks[l].data, into: grads, count: ws.steps * ws.batch * config.hidden)
        ws.lap(.activations, &mark)
    }
}
