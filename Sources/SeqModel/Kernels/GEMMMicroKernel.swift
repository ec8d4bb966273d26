/// The innermost loop of `gemm`: a 4 × 24 block of C held in twelve ymm registers.
///
/// Per step p the kernel loads one row of the B panel (24 floats, three vectors), broadcasts the four values
/// A(0…3, p) and issues twelve fused multiply-adds: 192 flops for 7 loads. The FMA has a latency of 4 cycles
/// and two pipes, so at least 8 independent accumulators are needed to keep both busy; 12 leave slack for the
/// loads (measured: 90% of peak on cached panels, against 86% for a 4 × 16 tile with exactly 8). 12 + 3 + 1
/// is all 16 ymm registers, without spills. Four rows rather than six because the batch sizes this model
/// uses are multiples of 4 (a 6-row tile would waste a third of its work at B = 8 and a ninth at B = 32).
enum GEMMTile {
    /// Rows of C per micro-kernel call (values of A broadcast per step).
    static let rows = 4
    /// Columns of C per micro-kernel call (three SIMD8 vectors).
    static let cols = 24
}

/// C[4 × 24] = (addToC ? C : 0) + Σₚ A(:, p) ⊗ B(p, :) for p in 0..<depth.
///
/// - `a`: a packed A panel, `GEMMTile.rows` consecutive floats per step (see `packA`).
/// - `b`: a B panel whose step p starts at `b + p·ldb` and holds 24 consecutive floats; either a packed panel
///   (`ldb` = 24) or, for a row-major B that is not worth packing, B itself.
@inline(__always)
func gemmMicroKernel(depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, ldb: Int,
                     c: UnsafeMutablePointer<Float>, ldc: Int, addToC: Bool) {
    var c00 = SIMD8<Float>(), c01 = SIMD8<Float>(), c02 = SIMD8<Float>()
    var c10 = SIMD8<Float>(), c11 = SIMD8<Float>(), c12 = SIMD8<Float>()
    var c20 = SIMD8<Float>(), c21 = SIMD8<Float>(), c22 = SIMD8<Float>()
    var c30 = SIMD8<Float>(), c31 = SIMD8<Float>(), c32 = SIMD8<Float>()
    var a = a, b = b
    for _ in 0..<depth {
        let b0 = b.vector(at: 0), b1 = b.vector(at: 8), b2 = b.vector(at: 16)
        let a0 = SIMD8<Float>(repeating: a[0])
        c00 = multiplyAdd(a0, b0, c00); c01 = multiplyAdd(a0, b1, c01); c02 = multiplyAdd(a0, b2, c02)
        let a1 = SIMD8<Float>(repeating: a[1])
        c10 = multiplyAdd(a1, b0, c10); c11 = multiplyAdd(a1, b1, c11); c12 = multiplyAdd(a1, b2, c12)
        let a2 = SIMD8<Float>(repeating: a[2])
        c20 = multiplyAdd(a2, b0, c20); c21 = multiplyAdd(a2, b1, c21); c22 = multiplyAdd(a2, b2, c22)
        let a3 = SIMD8<Float>(repeating: a[3])
        c30 = multiplyAdd(a3, b0, c30); c31 = multiplyAdd(a3, b1, c31); c32 = multiplyAdd(a3, b2, c32)
        a += GEMMTile.rows
        b += ldb
    }
    storeRow(c00, c01, c02, to: c, addTo: addToC)
    storeRow(c10, c11, c12, to: c + ldc, addTo: addToC)
    storeRow(c20, c21, c22, to: c + 2 * ldc, addTo: addToC)
    storeRow(c30, c31, c32, to: c + 3 * ldc, addTo: addToC)
}

@inline(__always)
private func storeRow(_ v0: SIMD8<Float>, _ v1: SIMD8<Float>, _ v2: SIMD8<Float>,
                      to row: UnsafeMutablePointer<Float>, addTo: Bool) {
    store(v0, to: row, addTo: addTo)
    store(v1, to: row + 8, addTo: addTo)
    store(v2, to: row + 16, addTo: addTo)
}

/// dst[0..<8] = v, or dst[0..<8] += v.
@inline(__always)
func store(_ v: SIMD8<Float>, to dst: UnsafeMutablePointer<Float>, addTo: Bool) {
    dst.storeVector(addTo ? dst.vector(at: 0) + v : v, at: 0)
}
