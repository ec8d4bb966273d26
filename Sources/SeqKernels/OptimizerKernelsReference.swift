import Foundation

/// Scalar references for the optimizer kernels: the update rules exactly as written in their papers, in Double,
/// each state and parameter rounded to Float once per step.

/// Reference for `adamUpdate`.
public func adamUpdateReference(param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
                                m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count: Int,
                                lr: Float, beta1: Float, beta2: Float, eps: Float, step: Int) {
    let b1 = Double(beta1), b2 = Double(beta2), t = Double(step)
    for i in 0..<count {
        let g = Double(grad[i])
        let mi = b1 * Double(m[i]) + (1 - b1) * g
        let vi = b2 * Double(v[i]) + (1 - b2) * g * g
        let mHat = mi / (1 - Foundation.pow(b1, t))
        let vHat = vi / (1 - Foundation.pow(b2, t))
        param[i] = Float(Double(param[i]) - Double(lr) * mHat / (vHat.squareRoot() + Double(eps)))
        m[i] = Float(mi)
        v[i] = Float(vi)
    }
}

/// Reference for `sgdMomentumUpdate`.
public func sgdMomentumUpdateReference(param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
                                       velocity: UnsafeMutablePointer<Float>, count: Int, lr: Float,
                                       momentum: Float) {
    for i in 0..<count {
        let buf = Double(momentum) * Double(velocity[i]) + Double(grad[i])
        param[i] = Float(Double(param[i]) - Double(lr) * buf)
        velocity[i] = Float(buf)
    }
}

/// Reference for `adagradUpdate`.
public func adagradUpdateReference(param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
                                   accumulator: UnsafeMutablePointer<Float>, count: Int, lr: Float, eps: Float) {
    for i in 0..<count {
        let g = Double(grad[i])
        let acc = Double(accumulator[i]) + g * g
        param[i] = Float(Double(param[i]) - Double(lr) * g / (acc.squareRoot() + Double(eps)))
        accumulator[i] = Float(acc)
    }
}
