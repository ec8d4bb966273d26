/// The forward step of the LSTM and the GRU on one vector of `Lanes` units (the element-wise part, after the
/// products), for `gatedCellKernels`' row loops.
///
/// Compiled twice, as `VectorMath.swift` is: in SeqKernels on eight lanes, and through a symlink in AVX512Kernels
/// on sixteen (`lstmForwardPointwise512`, `gruForwardPointwise512`). Every operation is lane-wise (the vector
/// sigmoid and tanh, fused multiply-adds, products), so a unit gets the same bits at either width. `n` ≤ the lane
/// count is how many units from `j` are real: a row's ragged end runs on a zero-padded vector.

@inline(__always)
func lstmForwardLanes(_ z: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>,
                              _ cPrev: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                              _ cTanh: UnsafeMutablePointer<Float>, _ h: UnsafeMutablePointer<Float>,
                              _ j: Int, _ H: Int, _ n: Int) {
    let i = vectorSigmoid(load(z, j, n) + load(bias, j, n))
    let f = vectorSigmoid(load(z, H + j, n) + load(bias, H + j, n))
    let g = vectorTanh(load(z, 2 * H + j, n) + load(bias, 2 * H + j, n))
    let o = vectorSigmoid(load(z, 3 * H + j, n) + load(bias, 3 * H + j, n))
    let cNew = multiplyAdd(f, load(cPrev, j, n), i * g)
    let t = vectorTanh(cNew)
    store(i, z, j, n)
    store(f, z, H + j, n)
    store(g, z, 2 * H + j, n)
    store(o, z, 3 * H + j, n)
    store(cNew, c, j, n)
    store(t, cTanh, j, n)
    store(o * t, h, j, n)
}

@inline(__always)
func gruForwardLanes(_ x: UnsafeMutablePointer<Float>, _ hh: UnsafePointer<Float>,
                             _ bi: UnsafePointer<Float>, _ bh: UnsafePointer<Float>, _ hPrev: UnsafePointer<Float>,
                             _ hn: UnsafeMutablePointer<Float>, _ h: UnsafeMutablePointer<Float>,
                             _ j: Int, _ H: Int, _ n: Int) {
    let r = vectorSigmoid(load(x, j, n) + load(bi, j, n) + load(hh, j, n) + load(bh, j, n))
    let z = vectorSigmoid(load(x, H + j, n) + load(bi, H + j, n) + load(hh, H + j, n) + load(bh, H + j, n))
    let hnv = load(hh, 2 * H + j, n) + load(bh, 2 * H + j, n)
    let candidate = vectorTanh(multiplyAdd(r, hnv, load(x, 2 * H + j, n) + load(bi, 2 * H + j, n)))
    let hp = load(hPrev, j, n)
    store(r, x, j, n)
    store(z, x, H + j, n)
    store(candidate, x, 2 * H + j, n)
    store(hnv, hn, j, n)
    store(multiplyAdd(z, hp - candidate, candidate), h, j, n)   // (1 − z)·n + z·h₋
}

/// `n` ≤ `Lanes.scalarCount` floats from `p + j` into the low lanes of a vector, the rest zero.
@inline(__always)
func load(_ p: UnsafePointer<Float>, _ j: Int, _ n: Int) -> Lanes {
    if n == Lanes.scalarCount { return p.vector(at: j) }
    var v = Lanes()
    for k in 0..<n { v[k] = p[j + k] }
    return v
}

@inline(__always)
func load(_ p: UnsafeMutablePointer<Float>, _ j: Int, _ n: Int) -> Lanes {
    load(UnsafePointer(p), j, n)
}

/// The low `n` lanes of `v` to `p + j`.
@inline(__always)
func store(_ v: Lanes, _ p: UnsafeMutablePointer<Float>, _ j: Int, _ n: Int) {
    if n == Lanes.scalarCount { p.storeVector(v, at: j); return }
    for k in 0..<n { p[j + k] = v[k] }
}
