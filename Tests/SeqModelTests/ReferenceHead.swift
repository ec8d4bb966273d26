import Foundation
import SeqKernels
@testable import SeqModel

/// What a reference window scores: class targets (−1 = not scored) or regression values with their mask.
protocol ReferenceTargets {
    var targets: [Int32] { get }
    var values: [[Double]] { get }
    var scored: [Bool] { get }
}

extension ReferenceRNN.Window: ReferenceTargets {}
extension ReferenceGatedRNN.Window: ReferenceTargets {}

/// The loss on the decoder's outputs y[t][b][o] (t = 1…T; row (t−1)·B + b of the targets) and its gradient, in
/// Double straight from the definitions, shared by both reference models: the mean over scored steps of the
/// cross-entropy, or of the squared error summed over outputs and divided by their number.
enum ReferenceHead {
    static func loss(_ y: [[[Double]]], _ w: some ReferenceTargets, regression: Bool, steps T: Int,
                     batch B: Int) -> Double {
        var total = 0.0, n = 0
        for t in 1...T {
            for b in 0..<B {
                let r = (t - 1) * B + b
                if regression {
                    guard w.scored[r] else { continue }
                    for o in 0..<y[t][b].count { total += pow(y[t][b][o] - w.values[r][o], 2) }
                    n += y[t][b].count
                } else {
                    guard w.targets[r] >= 0 else { continue }
                    let m = y[t][b].max()!
                    let lse = m + Foundation.log(y[t][b].reduce(0) { $0 + Foundation.exp($1 - m) })
                    total += lse - y[t][b][Int(w.targets[r])]
                    n += 1
                }
            }
        }
        return n > 0 ? total / Double(n) : 0
    }

    /// ∂L/∂y[t][b][o] of `loss` (index 0 unused).
    static func outputGradients(_ y: [[[Double]]], _ w: some ReferenceTargets, regression: Bool, steps T: Int,
                                batch B: Int) -> [[[Double]]] {
        var scoredCount = 0
        for r in 0..<(T * B) where regression ? w.scored[r] : w.targets[r] >= 0 { scoredCount += 1 }
        var dy = [[[Double]]](repeating: [], count: T + 1)
        for t in 1...T {
            dy[t] = (0..<B).map { b in
                let (r, O) = ((t - 1) * B + b, y[t][b].count)
                if regression {
                    guard w.scored[r] else { return [Double](repeating: 0, count: O) }
                    return (0..<O).map { 2 * (y[t][b][$0] - w.values[r][$0]) / Double(scoredCount * O) }
                }
                guard w.targets[r] >= 0 else { return [Double](repeating: 0, count: O) }
                let m = y[t][b].max()!
                let e = y[t][b].map { Foundation.exp($0 - m) }
                let s = e.reduce(0, +)
                return (0..<O).map { (e[$0] / s - ($0 == Int(w.targets[r]) ? 1 : 0)) / Double(scoredCount) }
            }
        }
        return dy
    }
}

/// One window's random data, as the gradient checks give it to both the model (`ws`) and the reference.
struct ReferenceRows {
    var tokens: [Int32] = []
    var inputs: [[Double]] = []
    var targets: [Int32] = []
    var values: [[Double]] = []
    var scored: [Bool] = []

    /// For every row of `ws`: a dense input U(−1, 1)^in or a token below the vocabulary, then a class target or
    /// regression values U(0, 2)^O, scored at every step or at the last only; written into `ws` and kept here.
    init(filling ws: Workspace, dense: Bool, lastStepOnly: Bool, regression: Bool, rng: inout Xoshiro256StarStar) {
        let (d, o, steps, batch) = (ws.config.inputWidth, ws.config.outputWidth, ws.steps, ws.batch)
        for r in 0..<(steps * batch) {
            let isScored = !lastStepOnly || r >= (steps - 1) * batch
            if dense {
                let x = (0..<d).map { _ in rng.uniform(-1, 1) }
                for i in 0..<d { ws.inputs[r * d + i] = x[i] }
                inputs.append(x.map(Double.init))
            } else {
                let token = Int32(rng.below(d))
                ws.tokens[r] = token
                tokens.append(token)
            }
            if regression {
                let y = (0..<o).map { _ in rng.uniform(0, 2) }
                for j in 0..<o { ws.targetValues[r * o + j] = y[j] }
                ws.scored[r] = isScored ? 1 : 0
                values.append(y.map(Double.init))
                scored.append(isScored)
            } else {
                let target = isScored ? Int32(rng.below(o)) : -1
                ws.targets[r] = target
                targets.append(target)
            }
        }
    }
}

/// A matrix in PyTorch's [out][in] layout, flattened in the model's storage layout [in × out].
func transposeFlat(_ m: [[Double]]) -> [Double] {
    let (rows, cols) = (m.count, m[0].count)
    var out = [Double](repeating: 0, count: rows * cols)
    for o in 0..<rows { for i in 0..<cols { out[i * rows + o] = m[o][i] } }
    return out
}

/// The activations as both reference models write them, straight from their definitions (independent of the
/// kernels' own references): act(z), and act' from the pre-activation z (relu) or the output y (the rest).
extension Activation {
    func exactValue(_ z: Double) -> Double {
        switch self {
        case .tanh: return Foundation.tanh(z)
        case .relu: return max(z, 0)
        case .sigmoid: return 1 / (1 + Foundation.exp(-z))
        case .identity: return z
        }
    }

    func exactDerivative(z: Double, y: Double) -> Double {
        switch self {
        case .tanh: return 1 - y * y
        case .relu: return z > 0 ? 1 : 0
        case .sigmoid: return y * (1 - y)
        case .identity: return 1
        }
    }
}
