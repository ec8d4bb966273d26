/// Scalar references for the reductions, accumulated in Double from left to right.

/// Reference for `sumOfSquares`.
public func sumOfSquaresReference(_ x: UnsafePointer<Float>, count: Int) -> Double {
    var total: Double = 0
    for i in 0..<count { total += Double(x[i]) * Double(x[i]) }
    return total
}

/// Reference for `addColumnSums`.
public func addColumnSumsReference(_ x: UnsafePointer<Float>, rows: Int, cols: Int, ld: Int,
                                   into sums: UnsafeMutablePointer<Float>) {
    for c in 0..<cols {
        var total = Double(sums[c])
        for r in 0..<rows { total += Double(x[r * ld + c]) }
        sums[c] = Float(total)
    }
}
