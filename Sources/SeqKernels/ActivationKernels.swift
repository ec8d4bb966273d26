import AVX512Kernels

/// The element-wise non-linearity of a layer, forward and backward, eight lanes at a time (the forward tanh and
/// sigmoid sixteen where the CPU has AVX-512: `biasSquashingForward512`, the same bits).
///
/// The activation is a loop-invariant `switch` inside the vector loop rather than a closure argument: Swift
/// does not reliably inline a closure passed to a helper, and an out-of-line call per vector (passing SIMD8
/// values through memory) costs more than the arithmetic.

/// In place over a rows×cols block with leading dimension ld: x[r][c] = act(x[r][c] + bias[c]) (bias may be nil).
///
/// tanh and sigmoid use `vectorTanh` / `vectorSigmoid` (absolute error < 1e-7); the ragged end of a row goes
/// through the same vector code on a zero-padded vector, so every element sees the same approximation.
public func biasActivationForward(_ act: Activation, _ x: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                                  ld: Int, bias: UnsafePointer<Float>?, width: KernelWidth = .preferred) {
    precondition(rows >= 0 && cols >= 0 && (rows <= 1 || ld >= cols), "biasActivationForward: bad shape")
    if act == .identity && bias == nil { return }
    if width.isWide, let function = act.squashing512 {
        biasSquashingForward512(function, x, rows: rows, cols: cols, ld: ld, bias: bias)
        return
    }
    let tail = cols % 8, body = cols - tail
    for r in 0..<rows {
        let row = x + r * ld
        var c = 0
        while c < body {
            var v = row.vector(at: c)
            if let bias { v += bias.vector(at: c) }
            row.storeVector(activate(act, v), at: c)
            c += 8
        }
        if tail > 0 {
            var v = SIMD8<Float>()
            for i in 0..<tail { v[i] = row[body + i] }
            if let bias { for i in 0..<tail { v[i] += bias[body + i] } }   // x + 0 would turn −0 into +0
            let y = activate(act, v)
            for i in 0..<tail { row[body + i] = y[i] }
        }
    }
}

/// dz[i] = dy[i] · act'(y[i]) with the derivative from the OUTPUT y (tanh: 1−y², sigmoid: y(1−y), relu: y>0,
/// identity: 1). dz may alias dy. Each product is within a few ulps of the exact value for the given y and dy.
public func activationBackward(_ act: Activation, y: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                               dz: UnsafeMutablePointer<Float>, count: Int) {
    precondition(count >= 0, "activationBackward: negative count")
    if act == .identity {
        if UnsafePointer(dz) != dy { dz.update(from: dy, count: count) }
        return
    }
    var i = 0
    while i + 8 <= count {
        dz.storeVector(backpropagate(act, y: y.vector(at: i), dy: dy.vector(at: i)), at: i)
        i += 8
    }
    if i < count {
        var yv = SIMD8<Float>(), dyv = SIMD8<Float>()
        for j in 0..<(count - i) { (yv[j], dyv[j]) = (y[i + j], dy[i + j]) }
        let dzv = backpropagate(act, y: yv, dy: dyv)
        for j in 0..<(count - i) { dz[i + j] = dzv[j] }
    }
}

extension Activation {
    /// The 16-lane forward kernel that computes this activation, if any: relu and identity are a compare or
    /// nothing per element, bound by memory at either width.
    fileprivate var squashing512: Squashing512? {
        switch self {
        case .tanh: .tanh
        case .sigmoid: .sigmoid
        case .relu, .identity: nil
        }
    }
}

@inline(__always)
func activate(_ act: Activation, _ v: SIMD8<Float>) -> SIMD8<Float> {
    switch act {
    case .tanh: vectorTanh(v)
    case .sigmoid: vectorSigmoid(v)
    case .relu: select(v .< 0, SIMD8(), v)      // NaN stays NaN
    case .identity: v
    }
}

@inline(__always)
func backpropagate(_ act: Activation, y: SIMD8<Float>, dy: SIMD8<Float>) -> SIMD8<Float> {
    let one = SIMD8<Float>(repeating: 1)
    switch act {
    // (1 − y)(1 + y) rather than 1 − y²: for y near ±1 the subtraction is then exact (Sterbenz) and the factor
    // keeps its relative precision, where 1 − y² would lose it to the rounding of y².
    case .tanh: return (one - y) * (one + y) * dy
    case .sigmoid: return y * (one - y) * dy
    case .relu: return select(y .> 0, dy, SIMD8())
    case .identity: return dy
    }
}
