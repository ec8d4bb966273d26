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
    var clipped = SIMD8<Int32>()          // minus the count per lane: a true mask lane is −1 (all bits set)
    var i = 0
    while i + 8 <= count {
        let v = x.vector(at: i)
        x.storeVector(clamp(v, lower: -limit, upper: limit), at: i)
        clipped &+= unsafeBitCast((v .> high) .| (v .< low), to: SIMD8<Int32>.self)
        i += 8
    }
    var total = -Int(clipped.wrappedSum())
    while i < count {
        if x[i] > limit { x[i] = limit; total += 1 } else if x[i] < -limit { x[i] = -limit; total += 1 }
        i += 1
    }
    return total
}

/// z[i] = x[i] · y[i] (z may be x or y): a dropout mask applied forward, or its gradient backward.
public func multiply(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, into z: UnsafeMutablePointer<Float>,
                     count: Int) {
    precondition(count >= 0, "multiply: negative count")
    var i = 0
    while i + 8 <= count {
        z.storeVector(x.vector(at: i) * y.vector(at: i), at: i)
        i += 8
    }
    while i < count {
        z[i] = x[i] * y[i]
        i += 1
    }
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
        y.storeVector(multiplyAdd(a8, x.vector(at: i), y.vector(at: i)), at: i)
        i += 8
    }
    while i < count {
        y[i] = y[i].addingProduct(a, x[i])
        i += 1
    }
}
