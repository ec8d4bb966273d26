/// The squashing non-linearities a layer's forward step applies, on sixteen lanes.
public enum Squashing512 {
    case tanh, sigmoid
}

/// In place over a rows×cols block with leading dimension ld: x[r][c] = f(x[r][c] + bias[c]) (bias may be nil),
/// f = tanh or σ. Each lane computes what SeqKernels' eight-lane `biasActivationForward` computes, from the same
/// `VectorMath.swift`, so the results are the same bits; the ragged end of a row goes through the same vector
/// code on a zero-padded vector. tanh is bound by its ~40 vector operations, not by memory, so the wider vector
/// pays.
public func biasSquashingForward512(_ function: Squashing512, _ x: UnsafeMutablePointer<Float>, rows: Int,
                                    cols: Int, ld: Int, bias: UnsafePointer<Float>?) {
    let tail = cols % 16, body = cols - tail
    for r in 0..<rows {
        let row = x + r * ld
        var c = 0
        while c < body {
            var v = UnsafeRawPointer(row + c).loadUnaligned(as: Lanes.self)
            if let bias { v += UnsafeRawPointer(bias + c).loadUnaligned(as: Lanes.self) }
            UnsafeMutableRawPointer(row + c).storeBytes(of: squash(function, v), as: Lanes.self)
            c += 16
        }
        if tail > 0 {
            var v = Lanes()
            for i in 0..<tail { v[i] = row[body + i] }
            if let bias { for i in 0..<tail { v[i] += bias[body + i] } }   // x + 0 would turn −0 into +0
            let y = squash(function, v)
            for i in 0..<tail { row[body + i] = y[i] }
        }
    }
}

@inline(__always)
private func squash(_ function: Squashing512, _ v: Lanes) -> Lanes {
    switch function {
    case .tanh: vectorTanh(v)
    case .sigmoid: vectorSigmoid(v)
    }
}
