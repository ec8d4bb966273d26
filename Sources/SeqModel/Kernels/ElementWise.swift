/// Element-wise updates of one buffer, eight lanes at a time with a scalar tail (the same arithmetic, so
/// every element is treated identically).

/// x[i] *= s.
public func scale(_ x: UnsafeMutablePointer<Float>, count: Int, by s: Float) {
    precondition(count >= 0, "scale: negative count")
    let s8 = SIMD8(repeating: s)
    var i = 0
    while i + 8 <= count {
        x.storeVector(x.vector(at: i) * s8, at: i)
        i += 8
    }
    while i < count {
        x[i] *= s
        i += 1
    }
}

/// Clamps each x[i] to [−limit, limit] (limit ≥ 0) and returns how many elements were changed.
/// NaN elements are left as they are and not counted.
public func clipElements(_ x: UnsafeMutablePointer<Float>, count: Int, limit: Float) -> Int {
    precondition(count >= 0 && limit >= 0, "clipElements: negative count or limit")
    let high = SIMD8(repeating: limit), low = SIMD8(repeating: -limit)
    var clipped = SIMD8<Int32>()
    var i = 0
    while i + 8 <= count {
        let v = x.vector(at: i)
        let above = v .> high, below = v .< low
        x.storeVector(v.replacing(with: high, where: above).replacing(with: low, where: below), at: i)
        clipped &+= SIMD8<Int32>().replacing(with: 1, where: above .| below)
        i += 8
    }
    var total = Int(clipped.wrappedSum())
    while i < count {
        if x[i] > limit { x[i] = limit; total += 1 } else if x[i] < -limit { x[i] = -limit; total += 1 }
        i += 1
    }
    return total
}

/// y[i] += x[i].
public func add(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
    precondition(count >= 0, "add: negative count")
    var i = 0
    while i + 8 <= count {
        y.storeVector(y.vector(at: i) + x.vector(at: i), at: i)
        i += 8
    }
    while i < count {
        y[i] += x[i]
        i += 1
    }
}

/// y[i] += a · x[i] (BLAS axpy), with one rounding per element (fused multiply-add).
public func add(_ x: UnsafePointer<Float>, scaledBy a: Float, into y: UnsafeMutablePointer<Float>, count: Int) {
    precondition(count >= 0, "add(scaledBy:): negative count")
    let a8 = SIMD8(repeating: a)
    var i = 0
    while i + 8 <= count {
        y.storeVector(y.vector(at: i).addingProduct(a8, x.vector(at: i)), at: i)
        i += 8
    }
    while i < count {
        y[i] = y[i].addingProduct(a, x[i])
        i += 1
    }
}
