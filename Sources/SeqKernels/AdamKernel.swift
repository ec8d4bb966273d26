import AVX512Kernels
import Foundation

/// Adam (Kingma & Ba 2015) with bias correction at step t ≥ 1: m = β1 m + (1−β1) g; v = β2 v + (1−β2) g²;
/// p −= lr · m̂ / (√v̂ + ε), where m̂ = m / (1 − β1ᵗ) and v̂ = v / (1 − β2ᵗ).
///
/// The bias corrections are computed once in Double (β2ᵗ is close to 1 for small t, where Float would lose the
/// difference). Element-wise over `count` parameters: sixteen at a time where the CPU has AVX-512
/// (`adamUpdate512`: bound by √ and ÷, Adam weighs most at a batch of one), then eight, then one; every path
/// runs the same correctly rounded operations (`AdamLanes`, and fused
/// arithmetic in the tail), so every element is updated identically.
public func adamUpdate(param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
                       m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count: Int,
                       lr: Float, beta1: Float, beta2: Float, eps: Float, step: Int,
                       width: KernelWidth = .preferred) {
    precondition(step >= 1 && count >= 0, "adamUpdate: step must be ≥ 1")
    let stepSize = Float(Double(lr) / (1 - Foundation.pow(Double(beta1), Double(step))))
    let varianceCorrection = Float(1 / (1 - Foundation.pow(Double(beta2), Double(step))))
    var i = 0
    if width.isWide {
        i = adamUpdate512(param: param, grad: grad, m: m, v: v, count: count, beta1: beta1, beta2: beta2, eps: eps,
                          stepSize: stepSize, varianceCorrection: varianceCorrection)
    }
    let adam = AdamLanes(beta1: beta1, beta2: beta2, eps: eps, stepSize: stepSize,
                         varianceCorrection: varianceCorrection)
    while i + 8 <= count {
        adam.update(param: param, grad: grad, m: m, v: v, at: i)
        i += 8
    }
    while i < count {
        let g = grad[i]
        let mi = (m[i] * beta1).addingProduct(1 - beta1, g)
        let vi = (v[i] * beta2).addingProduct((1 - beta2) * g, g)
        m[i] = mi
        v[i] = vi
        param[i] = param[i].addingProduct(-stepSize, mi / ((vi * varianceCorrection).squareRoot() + eps))
        i += 1
    }
}
