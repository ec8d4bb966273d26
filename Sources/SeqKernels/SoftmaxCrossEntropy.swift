import Foundation

/// Softmax and the cross-entropy loss of a row of logits, fused: the row is read once for its maximum and once
/// to exponentiate, writing e^{x−M} straight into the gradient, which one more pass scales.
///
/// Stability: with M = max(row), every exponent x − M ≤ 0, so e^{x−M} ∈ (0, 1] cannot overflow and the largest
/// term is exactly 1, so the sum S ≥ 1 cannot underflow. Then
///   loss = logsumexp(row) − row[t] = (M − row[t]) + log S,     ∂loss/∂row[c] = e^{row[c]−M} / S − [c = t].

/// For each row r of logits (rows×classes, leading dim ld): if targets[r] >= 0, loss_r = logsumexp(row) − row[target];
/// dlogits (may be nil; leading dim ld; may alias logits) = (softmax(row) − onehot(target)) · gradScale; rows with
/// target < 0 get loss 0 and zero gradient. Returns Σ loss_r (accumulated in Double).
public func softmaxCrossEntropy(logits: UnsafePointer<Float>, ld: Int, rows: Int, classes: Int,
                                targets: UnsafePointer<Int32>, dlogits: UnsafeMutablePointer<Float>?,
                                gradScale: Float) -> Double {
    precondition(rows >= 0 && classes > 0 && (rows <= 1 || ld >= classes), "softmaxCrossEntropy: bad shape")
    var total: Double = 0
    for r in 0..<rows {
        let row = logits + r * ld
        let gradient = dlogits.map { $0 + r * ld }
        let target = Int(targets[r])
        guard target >= 0 else {
            gradient?.update(repeating: 0, count: classes)
            continue
        }
        precondition(target < classes, "softmaxCrossEntropy: target \(target) ≥ classes \(classes)")
        let maximum = rowMaximum(row, count: classes)
        let targetLogit = row[target]           // read before a gradient aliasing the logits overwrites it
        let sum = exponentiateShifted(row, count: classes, by: maximum, into: gradient)
        total += Double(maximum) - Double(targetLogit) + Foundation.log(Double(sum))
        if let gradient {
            scale(gradient, count: classes, by: gradScale / sum)
            gradient[target] -= gradScale
        }
    }
    return total
}

/// In place: x = softmax(x) = e^{x − max x} / Σ e^{x − max x} (for sampling from a row of logits).
public func softmaxRow(_ x: UnsafeMutablePointer<Float>, count: Int) {
    guard count > 0 else { return }
    let sum = exponentiateShifted(x, count: count, by: rowMaximum(x, count: count), into: x)
    scale(x, count: count, by: 1 / sum)
}

/// max over x[0..<count] (count ≥ 1).
private func rowMaximum(_ x: UnsafePointer<Float>, count: Int) -> Float {
    var best = SIMD8<Float>(repeating: -.infinity)
    var i = 0
    while i + 8 <= count {
        let v = x.vector(at: i)
        best = select(v .> best, v, best)
        i += 8
    }
    var result = best.laneMax
    while i < count {
        if x[i] > result { result = x[i] }
        i += 1
    }
    return result
}

/// Σ e^{x[i] − shift}, also storing each term to `out` when it is not nil (`out` may alias `x`).
private func exponentiateShifted(_ x: UnsafePointer<Float>, count: Int, by shift: Float,
                                 into out: UnsafeMutablePointer<Float>?) -> Float {
    let shiftVector = SIMD8<Float>(repeating: shift)
    var sum = SIMD8<Float>()
    var i = 0
    while i + 8 <= count {
        let e = vectorExp(x.vector(at: i) - shiftVector)
        out?.storeVector(e, at: i)
        sum += e
        i += 8
    }
    if i < count {
        var v = SIMD8<Float>(repeating: -.infinity)        // e^{−∞} = 0 in the padding lanes
        for j in 0..<(count - i) { v[j] = x[i + j] }
        let e = vectorExp(v - shiftVector)
        if let out { for j in 0..<(count - i) { out[i + j] = e[j] } }
        sum += e
    }
    return sum.laneSum
}
