import SeqKernels
/// The L2 norm of one parameter and of its current gradient.
public struct ParameterNorm: Equatable, Sendable {
    public var name: String
    public var weight: Double
    public var gradient: Double
}

extension RNNModel {
    /// ‖θ‖ and ‖∂L/∂θ‖ for every parameter, in checkpoint order: which layers learn and which receive nothing.
    public var parameterNorms: [ParameterNorm] {
        parameters.map { p in
            ParameterNorm(name: p.name, weight: sumOfSquares(p.value.data, count: p.value.count).squareRoot(),
                          gradient: sumOfSquares(p.grad.data, count: p.grad.count).squareRoot())
        }
    }
}
