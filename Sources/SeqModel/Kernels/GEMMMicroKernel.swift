/// The innermost loop of `gemm`: a 4 × 16 block of C held in eight ymm registers.
///
/// Per step p the kernel loads one row of the B panel (16 floats, two vectors), broadcasts the four values
/// A(0…3, p) and issues eight fused multiply-adds: 128 flops for 6 loads. Eight independent accumulators
/// cover the FMA latency (4 cycles) on both FMA pipes, and 8 + 2 + 1 registers leave room in the 16 ymm
/// registers, so nothing spills. (A 6 × 16 tile also fits, but wastes a third of its work at the batch sizes
/// this model uses, which are multiples of 4.)
enum GEMMTile {
    /// Rows of C per micro-kernel call (values of A broadcast per step).
    static let rows = 4
    /// Columns of C per micro-kernel call (two SIMD8 vectors).
    static let cols = 16
}

/// C[4 × 16] = (addToC ? C : 0) + Σₚ A(:, p) ⊗ B(p, :) for p in 0..<depth.
///
/// - `a`: a packed A panel, `GEMMTile.rows` consecutive floats per step (see `packA`).
/// - `b`: a B panel whose step p starts at `b + p·ldb` and holds 16 consecutive floats; either a packed panel
///   (`ldb` = 16) or, for a row-major B that is not worth packing, B itself.
@inline(__always)
func gemmMicroKernel(depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, ldb: Int,
                     c: UnsafeMutablePointer<Float>, ldc: Int, addToC: Bool) {
    var c00 = SIMD8<Float>(), c01 = SIMD8<Float>()
    var c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
    var c20 = SIMD8<Float>(), c21 = SIMD8<Float>()
    var c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
    var a = a, b = b
    for _ in 0..<depth {
        let b0 = b.vector(at: 0), b1 = b.vector(at: 8)
        let a0 = SIMD8<Float>(repeating: a[0])
        c00.addProduct(a0, b0); c01.addProduct(a0, b1)
        let a1 = SIMD8<Float>(repeating: a[1])
        c10.addProduct(a1, b0); c11.addProduct(a1, b1)
        let a2 = SIMD8<Float>(repeating: a[2])
        c20.addProduct(a2, b0); c21.addProduct(a2, b1)
        let a3 = SIMD8<Float>(repeating: a[3])
        c30.addProduct(a3, b0); c31.addProduct(a3, b1)
        a += GEMMTile.rows
        b += ldb
    }
    storeRow(c00, c01, to: c, addTo: addToC)
    storeRow(c10, c11, to: c + ldc, addTo: addToC)
    storeRow(c20, c21, to: c + 2 * ldc, addTo: addToC)
    storeRow(c30, c31, to: c + 3 * ldc, addTo: addToC)
}

@inline(__always)
private func storeRow(_ low: SIMD8<Float>, _ high: SIMD8<Float>, to row: UnsafeMutablePointer<Float>, addTo: Bool) {
    if addTo {
        row.storeVector(row.vector(at: 0) + low, at: 0)
        row.storeVector(row.vector(at: 8) + high, at: 8)
    } else {
        row.storeVector(low, at: 0)
        row.storeVector(high, at: 8)
    }
}

/// c[0..<n] = (addToC ? c : 0) + Σₚ x[p·xStride] · B[p, 0..<n] — the m = 1 case of `gemm` (a vector times a
/// row-major matrix), where a 4-row tile would waste three quarters of its work.
///
/// Streams B once, 32 columns at a time with four accumulators; the time is bound by reading B.
func gemmSingleRow(n: Int, k: Int, x: UnsafePointer<Float>, xStride: Int,
                   b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, addToC: Bool) {
    var j = 0
    while j + 32 <= n {
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
        var xp = x, bp = b + j
        for _ in 0..<k {
            let xv = SIMD8<Float>(repeating: xp[0])
            s0.addProduct(xv, bp.vector(at: 0)); s1.addProduct(xv, bp.vector(at: 8))
            s2.addProduct(xv, bp.vector(at: 16)); s3.addProduct(xv, bp.vector(at: 24))
            xp += xStride
            bp += ldb
        }
        storeRow(s0, s1, to: c + j, addTo: addToC)
        storeRow(s2, s3, to: c + j + 16, addTo: addToC)
        j += 32
    }
    while j + 8 <= n {
        var s = SIMD8<Float>()
        var xp = x, bp = b + j
        for _ in 0..<k {
            s.addProduct(xp[0], bp.vector(at: 0))
            xp += xStride
            bp += ldb
        }
        c.storeVector(addToC ? c.vector(at: j) + s : s, at: j)
        j += 8
    }
    while j < n {
        var s: Float = 0
        for p in 0..<k { s.addProduct(x[p &* xStride], b[p &* ldb &+ j]) }
        c[j] = addToC ? c[j] + s : s
        j += 1
    }
}
