import Foundation

/// Reference for `softmaxCrossEntropy`: the textbook two-pass computation in Double, rounded once per output.
public func softmaxCrossEntropyReference(logits: UnsafePointer<Float>, ld: Int, rows: Int, classes: Int,
                                         targets: UnsafePointer<Int32>, dlogits: UnsafeMutablePointer<Float>?,
                                         gradScale: Float) -> Double {
    var total: Double = 0
    for r in 0..<rows {
        let target = Int(targets[r])
        let row = (0..<classes).map { Double(logits[r * ld + $0]) }
        guard target >= 0 else {
            if let dlogits { for c in 0..<classes { dlogits[r * ld + c] = 0 } }
            continue
        }
        let maximum = row.max()!
        let sum = row.reduce(0) { $0 + Foundation.exp($1 - maximum) }
        total += maximum + Foundation.log(sum) - row[target]
        if let dlogits {
            for c in 0..<classes {
                let p = Foundation.exp(row[c] - maximum) / sum
                dlogits[r * ld + c] = Float((p - (c == target ? 1 : 0)) * Double(gradScale))
            }
        }
    }
    return total
}

/// Reference for `softmaxRow`, in Double.
public func softmaxRowReference(_ x: UnsafeMutablePointer<Float>, count: Int) {
    let values = (0..<count).map { Double(x[$0]) }
    guard let maximum = values.max() else { return }
    let sum = values.reduce(0) { $0 + Foundation.exp($1 - maximum) }
    for i in 0..<count { x[i] = Float(Foundation.exp(values[i] - maximum) / sum) }
}
