/// The m = 1 cases of `gemm`: one row of A times B, where a 4-row tile would waste three quarters of its
/// work and packing B would cost as much as using it once. Both stream B once; their time is bound by reading it.

/// c[0..<n] = (addToC ? c : 0) + Σₚ x[p·xStride] · B[p, 0..<n]: a vector times a row-major matrix.
///
/// B is read in the order it is stored, eight rows at a time, into running sums of every column that stay in L1:
/// c itself, or a scratch row when the sums are to be added to what c holds. Walking B in strips of columns
/// instead (each strip's sums in registers) would read it a leading dimension at a time, which the hardware
/// prefetcher follows poorly once B is past L2. Each column's sum is one chain of fused multiply-adds over p in
/// order, the summation order every path keeps.
func gemmSingleRow(n: Int, k: Int, x: UnsafePointer<Float>, xStride: Int,
                   b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, addToC: Bool) {
    guard addToC else {
        c.update(repeating: 0, count: n)
        addRowTimesMatrix(n: n, k: k, x: x, xStride: xStride, b: b, ldb: ldb, sums: c)
        return
    }
    // A chain from zero, then added to c: the sums of a stack-sized block of columns at a time.
    let block = min(n, 1024)
    withUnsafeTemporaryAllocation(of: Float.self, capacity: block) { scratch in
        let sums = scratch.baseAddress!
        for j in stride(from: 0, to: n, by: block) {
            let columns = min(block, n - j)
            sums.update(repeating: 0, count: columns)
            addRowTimesMatrix(n: columns, k: k, x: x, xStride: xStride, b: b + j, ldb: ldb, sums: sums)
            for q in 0..<columns { c[j + q] += sums[q] }
        }
    }
}

/// sums[0..<n] += Σₚ x[p·xStride] · B[p, 0..<n], one fused multiply-add per row in the order of p. Eight rows
/// share each load and store of the sums; a ragged last block of rows goes one at a time.
@inline(__always)
private func addRowTimesMatrix(n: Int, k: Int, x: UnsafePointer<Float>, xStride: Int,
                               b: UnsafePointer<Float>, ldb: Int, sums: UnsafeMutablePointer<Float>) {
    let vectorColumns = n - n % 8
    var p = 0
    while p + 8 <= k {
        let xs = (x[p &* xStride], x[(p &+ 1) &* xStride], x[(p &+ 2) &* xStride], x[(p &+ 3) &* xStride],
                  x[(p &+ 4) &* xStride], x[(p &+ 5) &* xStride], x[(p &+ 6) &* xStride], x[(p &+ 7) &* xStride])
        let x0 = SIMD8<Float>(repeating: xs.0), x1 = SIMD8<Float>(repeating: xs.1)
        let x2 = SIMD8<Float>(repeating: xs.2), x3 = SIMD8<Float>(repeating: xs.3)
        let x4 = SIMD8<Float>(repeating: xs.4), x5 = SIMD8<Float>(repeating: xs.5)
        let x6 = SIMD8<Float>(repeating: xs.6), x7 = SIMD8<Float>(repeating: xs.7)
        let r0 = b + p &* ldb, r1 = r0 + ldb, r2 = r1 + ldb, r3 = r2 + ldb
        let r4 = r3 + ldb, r5 = r4 + ldb, r6 = r5 + ldb, r7 = r6 + ldb
        var j = 0
        while j < vectorColumns {
            var s = sums.vector(at: j)
            s = multiplyAdd(x0, r0.vector(at: j), s); s = multiplyAdd(x1, r1.vector(at: j), s)
            s = multiplyAdd(x2, r2.vector(at: j), s); s = multiplyAdd(x3, r3.vector(at: j), s)
            s = multiplyAdd(x4, r4.vector(at: j), s); s = multiplyAdd(x5, r5.vector(at: j), s)
            s = multiplyAdd(x6, r6.vector(at: j), s); s = multiplyAdd(x7, r7.vector(at: j), s)
            sums.storeVector(s, at: j)
            j &+= 8
        }
        while j < n {
            var s = sums[j]
            s.addProduct(xs.0, r0[j]); s.addProduct(xs.1, r1[j]); s.addProduct(xs.2, r2[j])
            s.addProduct(xs.3, r3[j]); s.addProduct(xs.4, r4[j]); s.addProduct(xs.5, r5[j])
            s.addProduct(xs.6, r6[j]); s.addProduct(xs.7, r7[j])
            sums[j] = s
            j &+= 1
        }
        p &+= 8
    }
    while p < k {
        let xp = x[p &* xStride], row = b + p &* ldb
        let xv = SIMD8<Float>(repeating: xp)
        var j = 0
        while j < vectorColumns {
            sums.storeVector(multiplyAdd(xv, row.vector(at: j), sums.vector(at: j)), at: j)
            j &+= 8
        }
        while j < n {
            sums[j].addProduct(xp, row[j])
            j &+= 1
        }
        p &+= 1
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
