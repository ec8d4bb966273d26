/// Scalar references for the element-wise kernels.

/// Reference for `scale`.
public func scaleReference(_ x: UnsafeMutablePointer<Float>, count: Int, by s: Float) {
    for i in 0..<count { x[i] = x[i] * s }
}

/// Reference for `clipElements`.
public func clipElementsReference(_ x: UnsafeMutablePointer<Float>, count: Int, limit: Float) -> Int {
    var changed = 0
    for i in 0..<count where abs(x[i]) > limit {
        x[i] = x[i] > 0 ? limit : -limit
        changed += 1
    }
    return changed
}

/// Reference for `multiply`.
public func multiplyReference(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, into z: UnsafeMutablePointer<Float>,
                              count: Int) {
    for i in 0..<count { z[i] = x[i] * y[i] }
}

/// Reference for `add(_:into:count:)`.
public func addReference(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { y[i] = y[i] + x[i] }
}

/// Reference for `add(_:scaledBy:into:count:)`, in Double (so within half an ulp of the exact result, as the
/// fused kernel is).
public func addReference(_ x: UnsafePointer<Float>, scaledBy a: Float, into y: UnsafeMutablePointer<Float>,
                         count: Int) {
    for i in 0..<count { y[i] = Float(Double(y[i]) + Double(a) * Double(x[i])) }
}
