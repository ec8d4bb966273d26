import SeqKernels
/// A trainable tensor, its gradient, and the name it has in a PyTorch state dict.
public final class Parameter: @unchecked Sendable {
    /// The PyTorch name (`rnn.weight_hh_l0`, `decoder.bias`, …), used in checkpoints and reports.
    public let name: String
    public let value: Tensor
    /// ∂L/∂value, accumulated by the backward pass; the trainer zeroes it before each step.
    public let grad: Tensor
    /// True for matrices stored [in × out], the transpose of PyTorch's [out × in]: then a time step's input
    /// projection is a plain row-major GEMM (or, for one-hot input, a row gather). Checkpoints transpose.
    public let storedTransposed: Bool

    public init(name: String, shape: [Int], storedTransposed: Bool = false) {
        self.name = name
        self.value = Tensor(shape)
        self.grad = Tensor(shape)
        self.storedTransposed = storedTransposed
    }

    /// A parameter that shares `other`'s values (the same tensor) but accumulates its own gradient: what each
    /// half of a split batch writes into.
    public init(sharingValueOf other: Parameter) {
        name = other.name
        value = other.value
        grad = Tensor(other.shape)
        storedTransposed = other.storedTransposed
    }

    /// The shape PyTorch gives this tensor.
    public var pytorchShape: [Int] { storedTransposed ? shape.reversed() : shape }
    public var shape: [Int] { value.shape }
}
