/// The element-wise non-linearity of a layer, forward and backward, eight lanes at a time.

/// In place over a rows×cols block with leading dimension ld: x[r][c] = act(x[r][c] + bias[c]) (bias may be nil).
///
/// tanh and sigmoid use `vectorTanh` / `vectorSigmoid` (absolute error ≈ 1e-7); the ragged end of a row goes
/// through the same vector code on a zero-padded vector, so every element sees the same approximation.
public func biasActivationForward(_ act: Activation, _ x: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                                  ld: Int, bias: UnsafePointer<Float>?) {
    precondition(rows >= 0 && cols >= 0 && (rows <= 1 || ld >= cols), "biasActivationForward: bad shape")
    switch act {
    case .tanh: mapRows(x, rows: rows, cols: cols, ld: ld, bias: bias, vectorTanh)
    case .sigmoid: mapRows(x, rows: rows, cols: cols, ld: ld, bias: bias, vectorSigmoid)
    case .relu: mapRows(x, rows: rows, cols: cols, ld: ld, bias: bias) { $0.replacing(with: 0, where: $0 .< 0) }
    case .identity:
        if bias != nil { mapRows(x, rows: rows, cols: cols, ld: ld, bias: bias) { $0 } }
    }
}

/// dz[i] = dy[i] · act'(y[i]) with the derivative from the OUTPUT y (tanh: 1−y², sigmoid: y(1−y), relu: y>0,
/// identity: 1). dz may alias dy. Each product is within a few ulps of the exact value for the given y and dy.
public func activationBackward(_ act: Activation, y: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                               dz: UnsafeMutablePointer<Float>, count: Int) {
    precondition(count >= 0, "activationBackward: negative count")
    let one = SIMD8<Float>(repeating: 1)
    switch act {
    case .tanh:
        // (1 − y)(1 + y) rather than 1 − y²: for y near ±1 the subtraction is then exact (Sterbenz) and the
        // factor keeps its relative precision, where 1 − y² would lose it to the rounding of y².
        zipMap(y, dy, dz, count) { y, dy in (one - y) * (one + y) * dy } scalar: { y, dy in (1 - y) * (1 + y) * dy }
    case .sigmoid:
        zipMap(y, dy, dz, count) { y, dy in y * (one - y) * dy } scalar: { y, dy in y * (1 - y) * dy }
    case .relu:
        zipMap(y, dy, dz, count) { y, dy in dy.replacing(with: 0, where: y .<= 0) } scalar: { y, dy in y > 0 ? dy : 0 }
    case .identity:
        if UnsafePointer(dz) != dy { dz.update(from: dy, count: count) }
    }
}

/// x[r][c] = f(x[r][c] + bias[c]) over a strided block; the last partial vector of a row is zero-padded.
@inline(__always)
private func mapRows(_ x: UnsafeMutablePointer<Float>, rows: Int, cols: Int, ld: Int, bias: UnsafePointer<Float>?,
                     _ f: (SIMD8<Float>) -> SIMD8<Float>) {
    let tail = cols % 8, body = cols - tail
    for r in 0..<rows {
        let row = x + r * ld
        var c = 0
        while c < body {
            var v = row.vector(at: c)
            if let bias { v += bias.vector(at: c) }
            row.storeVector(f(v), at: c)
            c += 8
        }
        if tail > 0 {
            var v = SIMD8<Float>()
            for i in 0..<tail { v[i] = row[body + i] + (bias?[body + i] ?? 0) }
            let y = f(v)
            for i in 0..<tail { row[body + i] = y[i] }
        }
    }
}

/// out[i] = f(y[i], dy[i]): eight lanes at a time, then `scalar` (the same formula) for the tail.
@inline(__always)
private func zipMap(_ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                    _ count: Int, _ f: (SIMD8<Float>, SIMD8<Float>) -> SIMD8<Float>,
                    scalar: (Float, Float) -> Float) {
    var i = 0
    while i + 8 <= count {
        out.storeVector(f(y.vector(at: i), dy.vector(at: i)), at: i)
        i += 8
    }
    while i < count {
        out[i] = scalar(y[i], dy[i])
        i += 1
    }
}
