import Foundation

/// Scalar references for the gated-cell kernels: the same equations element by element in Double, each result
/// rounded to Float once.

private func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

/// Reference for `lstmForwardPointwise`.
public func lstmForwardPointwiseReference(gates: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>,
                                          cPrev: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                                          cTanh: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>,
                                          rows: Int, hidden H: Int) {
    for r in 0..<rows {
        for j in 0..<H {
            let z = gates + r * 4 * H
            func pre(_ k: Int) -> Double { Double(z[k * H + j] + bias[k * H + j]) }   // the sum rounded, as the kernel
            let (i, f, g, o) = (sigmoid(pre(0)), sigmoid(pre(1)), tanh(pre(2)), sigmoid(pre(3)))
            let cNew = f * Double(cPrev[r * H + j]) + i * g
            (z[j], z[H + j], z[2 * H + j], z[3 * H + j]) = (Float(i), Float(f), Float(g), Float(o))
            c[r * H + j] = Float(cNew)
            cTanh[r * H + j] = Float(tanh(cNew))
            h[r * H + j] = Float(o * tanh(cNew))
        }
    }
}

/// Reference for `lstmBackwardPointwise`.
public func lstmBackwardPointwiseReference(gates: UnsafePointer<Float>, cPrev: UnsafePointer<Float>,
                                           cTanh: UnsafePointer<Float>, dh: UnsafePointer<Float>,
                                           dc: UnsafeMutablePointer<Float>, dGates: UnsafeMutablePointer<Float>,
                                           cellGrad: UnsafeMutablePointer<Float>?, rows: Int, hidden H: Int) {
    for r in 0..<rows {
        for j in 0..<H {
            let (g4, d4, e) = (gates + r * 4 * H, dGates + r * 4 * H, r * H + j)
            let (i, f, g, o) = (Double(g4[j]), Double(g4[H + j]), Double(g4[2 * H + j]), Double(g4[3 * H + j]))
            let (t, dhv) = (Double(cTanh[e]), Double(dh[e]))
            let dcTotal = Double(dc[e]) + dhv * o * (1 - t * t)
            cellGrad?[e] = Float(dcTotal)
            d4[j] = Float(dcTotal * g * i * (1 - i))
            d4[H + j] = Float(dcTotal * Double(cPrev[e]) * f * (1 - f))
            d4[2 * H + j] = Float(dcTotal * i * (1 - g * g))
            d4[3 * H + j] = Float(dhv * t * o * (1 - o))
            dc[e] = Float(dcTotal * f)
        }
    }
}

/// Reference for `gruForwardPointwise`.
public func gruForwardPointwiseReference(gates: UnsafeMutablePointer<Float>, recurrent: UnsafePointer<Float>,
                                         biasInput: UnsafePointer<Float>, biasRecurrent: UnsafePointer<Float>,
                                         hPrev: UnsafePointer<Float>, hn: UnsafeMutablePointer<Float>,
                                         h: UnsafeMutablePointer<Float>, rows: Int, hidden H: Int) {
    for row in 0..<rows {
        for j in 0..<H {
            let (x, hh, e) = (gates + row * 3 * H, recurrent + row * 3 * H, row * H + j)
            func sum(_ k: Int) -> Double {
                Double(x[k * H + j]) + Double(biasInput[k * H + j]) + Double(hh[k * H + j]) + Double(biasRecurrent[k * H + j])
            }
            let (r, z) = (sigmoid(sum(0)), sigmoid(sum(1)))
            let hnv = Double(hh[2 * H + j]) + Double(biasRecurrent[2 * H + j])
            let n = tanh(Double(x[2 * H + j]) + Double(biasInput[2 * H + j]) + r * hnv)
            (x[j], x[H + j], x[2 * H + j]) = (Float(r), Float(z), Float(n))
            hn[e] = Float(hnv)
            h[e] = Float((1 - z) * n + z * Double(hPrev[e]))
        }
    }
}

/// Reference for `gruBackwardPointwise`.
public func gruBackwardPointwiseReference(gates: UnsafePointer<Float>, hn: UnsafePointer<Float>,
                                          hPrev: UnsafePointer<Float>, dh: UnsafePointer<Float>,
                                          dInput: UnsafeMutablePointer<Float>, dRecurrent: UnsafeMutablePointer<Float>,
                                          dhPrev: UnsafeMutablePointer<Float>, accumulate: Bool, rows: Int, hidden H: Int) {
    for row in 0..<rows {
        for j in 0..<H {
            let (g, e) = (gates + row * 3 * H, row * H + j)
            let (r, z, n) = (Double(g[j]), Double(g[H + j]), Double(g[2 * H + j]))
            let dhv = Double(dh[e])
            let dn = dhv * (1 - z) * (1 - n * n)
            let dz = dhv * (Double(hPrev[e]) - n) * z * (1 - z)
            let dr = dn * Double(hn[e]) * r * (1 - r)
            let (di, dr3) = (dInput + row * 3 * H, dRecurrent + row * 3 * H)
            (di[j], di[H + j], di[2 * H + j]) = (Float(dr), Float(dz), Float(dn))
            (dr3[j], dr3[H + j], dr3[2 * H + j]) = (Float(dr), Float(dz), Float(dn * r))
            dhPrev[e] = Float((accumulate ? Double(dhPrev[e]) : 0) + dhv * z)
        }
    }
}

/// Reference for `indrnnForwardPointwise`.
public func indrnnForwardPointwiseReference(_ act: Activation, z: UnsafeMutablePointer<Float>, u: UnsafePointer<Float>,
                                            bias: UnsafePointer<Float>, hPrev: UnsafePointer<Float>, rows: Int,
                                            hidden H: Int) {
    for r in 0..<rows {
        for j in 0..<H {
            let e = r * H + j
            let s = Double(z[e] + bias[j]) + Double(u[j]) * Double(hPrev[e])
            z[e] = Float(act.referenceValue(s))
        }
    }
}

/// Reference for `indrnnBackwardPointwise`.
public func indrnnBackwardPointwiseReference(_ act: Activation, h: UnsafePointer<Float>,
                                             grad: UnsafeMutablePointer<Float>, u: UnsafePointer<Float>,
                                             hPrev: UnsafePointer<Float>, dhPrev: UnsafeMutablePointer<Float>,
                                             accumulate: Bool, uGrad: UnsafeMutablePointer<Float>, rows: Int,
                                             hidden H: Int) {
    for r in 0..<rows {
        for j in 0..<H {
            let e = r * H + j
            let dz = Double(grad[e]) * act.referenceDerivative(output: Double(h[e]))
            grad[e] = Float(dz)
            dhPrev[e] = Float((accumulate ? Double(dhPrev[e]) : 0) + dz * Double(u[j]))
            uGrad[j] = Float(Double(uGrad[j]) + dz * Double(hPrev[e]))
        }
    }
}
