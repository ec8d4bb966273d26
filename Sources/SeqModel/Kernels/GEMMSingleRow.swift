/// The m = 1 cases of `gemm`: one row of A times B, where a 4-row tile would waste three quarters of its
/// work and packing B would cost as much as using it once. Both stream B once; their time is bound by reading it.

/// c[0..<n] = (addToC ? c : 0) + Σₚ x[p·xStride] · B[p, 0..<n]: a vector times a row-major matrix, 32 columns at
/// a time in four accumulators, then 8, then one.
func gemmSingleRow(n: Int, k: Int, x: UnsafePointer<Float>, xStride: Int,
                   b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, addToC: Bool) {
    var j = 0
    while j + 32 <= n {
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
        var xp = x, bp = b + j
        for _ in 0..<k {
            let xv = SIMD8<Float>(repeating: xp[0])
            s0 = multiplyAdd(xv, bp.vector(at: 0), s0); s1 = multiplyAdd(xv, bp.vector(at: 8), s1)
            s2 = multiplyAdd(xv, bp.vector(at: 16), s2); s3 = multiplyAdd(xv, bp.vector(at: 24), s3)
            xp += xStride
            bp += ldb
        }
        store(s0, to: c + j, addTo: addToC)
        store(s1, to: c + j + 8, addTo: addToC)
        store(s2, to: c + j + 16, addTo: addToC)
        store(s3, to: c + j + 24, addTo: addToC)
        j += 32
    }
    while j + 8 <= n {
        var s = SIMD8<Float>()
        var xp = x, bp = b + j
        for _ in 0..<k {
            s = multiplyAdd(SIMD8(repeating: xp[0]), bp.vector(at: 0), s)
            xp += xStride
            bp += ldb
        }
        store(s, to: c + j, addTo: addToC)
        j += 8
    }
    while j < n {
        var s: Float = 0
        for p in 0..<k { s.addProduct(x[p &* xStride], b[p &* ldb &+ j]) }
        c[j] = addToC ? c[j] + s : s
        j += 1
    }
}

/// c[j] = (addToC ? c[j] : 0) + Σₚ x[p] · b[j·ldb + p]: with B transposed, n dot products of x with rows of the
/// stored B, four rows at a time so that each load of x serves four.
func gemmSingleRowTransposedB(n: Int, k: Int, x: UnsafePointer<Float>, b: UnsafePointer<Float>, ldb: Int,
                              c: UnsafeMutablePointer<Float>, addToC: Bool) {
    let body = k - k % 8
    var j = 0
    while j < n {
        let rows = min(4, n - j)
        // Rows past n repeat the last row; their sums are computed and dropped.
        let r0 = b + j * ldb, r1 = b + (j + min(1, rows - 1)) * ldb
        let r2 = b + (j + min(2, rows - 1)) * ldb, r3 = b + (j + min(3, rows - 1)) * ldb
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
        var p = 0
        while p < body {
            let xv = x.vector(at: p)
            s0 = multiplyAdd(xv, r0.vector(at: p), s0); s1 = multiplyAdd(xv, r1.vector(at: p), s1)
            s2 = multiplyAdd(xv, r2.vector(at: p), s2); s3 = multiplyAdd(xv, r3.vector(at: p), s3)
            p += 8
        }
        var sums = SIMD4<Float>(s0.laneSum, s1.laneSum, s2.laneSum, s3.laneSum)
        while p < k {
            sums.addProduct(SIMD4(repeating: x[p]), SIMD4(r0[p], r1[p], r2[p], r3[p]))
            p += 1
        }
        for r in 0..<rows { c[j + r] = addToC ? c[j + r] + sums[r] : sums[r] }
        j += 4
    }
}
