import SeqKernels
import SeqModel
/// How gradients are limited before an update.
public enum Clipping: Equatable, Sendable {
    case none
    /// Pascanu, Mikolov & Bengio (2013): if the global norm ‖g‖ = √(Σ over every parameter of Σ g²) exceeds
    /// `maxNorm`, every gradient is scaled by maxNorm/‖g‖ — the direction is kept, only the step shrinks.
    case globalNorm(Float)
    /// Each component clamped to [−limit, limit] (changes the direction; kept for comparison).
    case elementwise(Float)
}

/// The result of clipping one step's gradients.
public struct ClipResult: Equatable, Sendable {
    /// The global gradient norm before clipping.
    public var norm: Double
    /// Whether anything was changed.
    public var clipped: Bool
}

/// The global L2 norm of every parameter's gradient.
public func globalGradientNorm(_ parameters: [Parameter]) -> Double {
    var total = 0.0
    for p in parameters { total += sumOfSquares(p.grad.data, count: p.grad.count) }
    return total.squareRoot()
}

/// Clips the gradients of `parameters` in place.
public func clipGradients(_ parameters: [Parameter], _ clipping: Clipping) -> ClipResult {
    let norm = globalGradientNorm(parameters)
    switch clipping {
    case .none:
        return ClipResult(norm: norm, clipped: false)
    case .globalNorm(let maxNorm):
        guard norm > Double(maxNorm), norm.isFinite else { return ClipResult(norm: norm, clipped: false) }
        let factor = Float(Double(maxNorm) / norm)
        for p in parameters { scale(p.grad.data, count: p.grad.count, by: factor) }
        return ClipResult(norm: norm, clipped: true)
    case .elementwise(let limit):
        var changed = 0
        for p in parameters { changed += clipElements(p.grad.data, count: p.grad.count, limit: limit) }
        return ClipResult(norm: norm, clipped: changed > 0)
    }
}
