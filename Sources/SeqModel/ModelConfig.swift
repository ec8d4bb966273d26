import SeqKernels
/// What a network looks like: input, recurrent stack, and head.
public struct ModelConfig: Equatable, Sendable {
    /// How a time step's input arrives.
    public enum Input: Equatable, Sendable {
        /// One token id per step among `vocabulary` classes; one-hot, implemented as a row gather of W_ih.
        case tokens(vocabulary: Int)
        /// `features` real numbers per step (the adding problem's value and marker channels).
        case dense(features: Int)
    }

    /// What the decoder predicts at a scored step.
    public enum Head: Equatable, Sendable {
        /// Softmax over `classes` with cross-entropy against a class id.
        case classification(classes: Int)
        /// `outputs` real numbers with mean squared error.
        case regression(outputs: Int)
    }

    public var input: Input
    public var hidden: Int
    public var layers: Int
    public var activation: Activation
    public var initialization: Initialization
    public var head: Head
    /// The probability p of zeroing each output of a recurrent layer on its way up (to the next layer or the
    /// decoder) in a training pass; kept outputs are scaled by 1/(1−p), so evaluation, which drops nothing,
    /// sees the same expected input (inverted dropout; Zaremba et al. 2014 apply it between layers only, never
    /// on the recurrent connection).
    public var dropout: Float
    /// The recurrent cell of every layer; `activation` is its nonlinearity for `rnn` and `indrnn` only.
    public var cell: Cell
    /// K, the longest context of the direct n-gram connections to the output (`DirectConnections`); 0 = none.
    /// Token input and a classification head only.
    public var directOrders = 0
    /// The direct connections' table holds 2^directBits weights.
    public var directBits = 22

    public init(input: Input, hidden: Int, layers: Int, activation: Activation,
                initialization: Initialization, head: Head, dropout: Float = 0, cell: Cell = .rnn) {
        precondition(dropout >= 0 && dropout < 1, "dropout must be in [0, 1)")
        self.cell = cell
        self.input = input
        self.hidden = hidden
        self.layers = layers
        self.activation = activation
        self.initialization = initialization
        self.head = head
        self.dropout = dropout
    }

    /// Width of the first layer's input.
    public var inputWidth: Int {
        switch input {
        case .tokens(let v): return v
        case .dense(let d): return d
        }
    }

    /// Width of the decoder's output.
    public var outputWidth: Int {
        switch head {
        case .classification(let c): return c
        case .regression(let o): return o
        }
    }

    /// Number of trainable scalars: per layer the input and recurrent weights (u, one per unit, for the IndRNN)
    /// and one bias per gate and unit, two for the GRU (whose b_hn is not separable from b_in; elsewhere
    /// PyTorch's two biases are one parameter in effect).
    public var parameterCount: Int {
        var n = 0
        let gates = cell.gateCount * hidden
        for l in 0..<layers {
            let inWidth = l == 0 ? inputWidth : hidden
            n += inWidth * gates + (cell == .indrnn ? hidden : hidden * gates) + (cell == .gru ? 2 : 1) * gates
        }
        return n + hidden * outputWidth + outputWidth
    }

    /// Number of direct-connection weights (0 without them); not in `parameterCount`, which counts the network.
    public var directWeightCount: Int { directOrders > 0 ? 1 << directBits : 0 }
}
