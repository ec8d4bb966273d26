import Foundation

/// Scalar references for the activation kernels, computed in Double with libm and rounded once.

extension Activation {
    /// act(x) in Double precision. relu(NaN) is NaN, as in the vector kernel.
    func referenceValue(_ x: Double) -> Double {
        switch self {
        case .tanh: Foundation.tanh(x)
        case .sigmoid: 1 / (1 + Foundation.exp(-x))
        case .relu: x < 0 ? 0 : x
        case .identity: x
        }
    }

    /// act'(x) expressed through the output y = act(x).
    func referenceDerivative(output y: Double) -> Double {
        switch self {
        case .tanh: 1 - y * y
        case .sigmoid: y * (1 - y)
        case .relu: y > 0 ? 1 : 0
        case .identity: 1
        }
    }
}

/// Reference for `biasActivationForward`: x[r][c] = act(x[r][c] + bias[c]), the sum rounded to Float first as
/// the kernel does.
public func biasActivationForwardReference(_ act: Activation, _ x: UnsafeMutablePointer<Float>, rows: Int,
                                           cols: Int, ld: Int, bias: UnsafePointer<Float>?) {
    for r in 0..<rows {
        for c in 0..<cols {
            let z = x[r * ld + c] + (bias?[c] ?? 0)
            x[r * ld + c] = Float(act.referenceValue(Double(z)))
        }
    }
}

/// Reference for `activationBackward`: dz[i] = dy[i] · act'(y[i]), in Double.
public func activationBackwardReference(_ act: Activation, y: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                        dz: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count {
        dz[i] = Float(Double(dy[i]) * act.referenceDerivative(output: Double(y[i])))
    }
}
