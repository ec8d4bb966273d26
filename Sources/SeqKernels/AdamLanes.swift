/// Adam's update of one vector of `Lanes` parameters.
///
/// Compiled twice, as `VectorMath.swift` is: in SeqKernels on eight lanes, and through a symlink in AVX512Kernels
/// on sixteen (`adamUpdate512`). Each operation is lane-wise and correctly rounded (fused multiply-add, √, ÷),
/// so an element gets the same bits at either width, and from `adamUpdate`'s one-at-a-time tail.
struct AdamLanes {
    let beta1, beta2, gain1, gain2, negativeStepSize, varianceCorrection, eps: Lanes

    /// `stepSize` = lr / (1 − β1ᵗ) and `varianceCorrection` = 1 / (1 − β2ᵗ), the bias corrections of step t.
    init(beta1: Float, beta2: Float, eps: Float, stepSize: Float, varianceCorrection: Float) {
        (self.beta1, self.beta2) = (Lanes(repeating: beta1), Lanes(repeating: beta2))
        (gain1, gain2) = (Lanes(repeating: 1 - beta1), Lanes(repeating: 1 - beta2))
        negativeStepSize = Lanes(repeating: -stepSize)
        self.varianceCorrection = Lanes(repeating: varianceCorrection)
        self.eps = Lanes(repeating: eps)
    }

    /// m = β1 m + (1−β1) g; v = β2 v + (1−β2) g²; p −= stepSize · m / (√(v · varianceCorrection) + ε), for the
    /// lanes from element i.
    @inline(__always)
    func update(param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
                v: UnsafeMutablePointer<Float>, at i: Int) {
        let g = grad.vector(at: i)
        let mi = multiplyAdd(gain1, g, m.vector(at: i) * beta1)
        let vi = multiplyAdd(gain2 * g, g, v.vector(at: i) * beta2)
        let denominator = squareRoot(vi * varianceCorrection) + eps
        m.storeVector(mi, at: i)
        v.storeVector(vi, at: i)
        param.storeVector(multiplyAdd(negativeStepSize, mi / denominator, param.vector(at: i)), at: i)
    }
}
