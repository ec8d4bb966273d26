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

    public init(input: Input, hidden: Int, layers: Int, activation: Activation,
                initialization: Initialization, head: Head) {
        self.input = input
        self.hidden = hidden
        self.layers = layers
        self.activation = activation
        self.initialization = initialization
        self.head = head
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

    /// Number of trainable scalars (one bias per layer: PyTorch's two biases are one parameter in effect).
    public var parameterCount: Int {
        var n = 0
        for l in 0..<layers {
            let inWidth = l == 0 ? inputWidth : hidden
            n += inWidth * hidden + hidden * hidden + hidden
        }
        return n + hidden * outputWidth + outputWidth
    }
}
