import Foundation

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
