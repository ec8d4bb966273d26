import Foundation

/// Adam (Kingma & Ba 2015) with bias correction at step t ≥ 1: m = β1 m + (1−β1) g; v = β2 v + (1−β2) g²;
/// p −= lr · m̂ / (√v̂ + ε), where m̂ = m / (1 − β1ᵗ) and v̂ = v / (1 − β2ᵗ).
///
/// The bias corrections are computed once in Double (β2ᵗ is close to 1 for small t, where Float would lose the
/// difference). Element-wise over `count` parameters, eight at a time; the tail repeats the same fused
/// arithmetic one element at a time, so every element is updated identically.
public func adamUpdate(param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
                       m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count: Int,
                       lr: Float, beta1: Float, beta2: Float, eps: Float, step: Int) {
    precondition(step >= 1 && count >= 0, "adamUpdate: step must be ≥ 1")
    let stepSize = Float(Double(lr) / (1 - Foundation.pow(Double(beta1), Double(step))))
    let varianceCorrection = Float(1 / (1 - Foundation.pow(Double(beta2), Double(step))))
    let b1 = SIMD8(repeating: beta1), b2 = SIMD8(repeating: beta2)
    let gain1 = SIMD8(repeating: 1 - beta1), gain2 = SIMD8(repeating: 1 - beta2)
    let step8 = SIMD8(repeating: -stepSize), correction8 = SIMD8(repeating: varianceCorrection)
    let eps8 = SIMD8(repeating: eps)
    var i = 0
    while i + 8 <= count {
        let g = grad.vector(at: i)
        let mi = multiplyAdd(gain1, g, m.vector(at: i) * b1)
        let vi = multiplyAdd(gain2 * g, g, v.vector(at: i) * b2)
        let denominator = squareRoot(vi * correction8) + eps8
        m.storeVector(mi, at: i)
        v.storeVector(vi, at: i)
        param.storeVector(multiplyAdd(step8, mi / denominator, param.vector(at: i)), at: i)
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
