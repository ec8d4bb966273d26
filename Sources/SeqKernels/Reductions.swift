/// Sums over many elements, vectorised with several independent accumulators.
///
/// Swift does not reassociate floating-point additions, so a plain `for` loop sum is one serial dependency
/// chain (one add per 3–4 cycles). Here the order is fixed by the code instead — independent lanes and
/// accumulators, combined in a set order at the end — so results are deterministic for a given input and
/// count, but differ in the last bits from a left-to-right sum.

/// Σ x[i]², for gradient norms and divergence checks. Each element is widened to Double before squaring, so
/// the result neither overflows for finite input nor loses small terms next to large ones; a NaN or ±∞
/// element makes the result NaN or +∞.
public func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Double {
    precondition(count >= 0, "sumOfSquares: negative count")
    var s0 = SIMD4<Double>(), s1 = SIMD4<Double>(), s2 = SIMD4<Double>(), s3 = SIMD4<Double>()
    var i = 0
    while i + 16 <= count {
        let v = x.vector(at: i), w = x.vector(at: i + 8)
        let v0 = SIMD4<Double>(v.lowHalf), v1 = SIMD4<Double>(v.highHalf)
        let w0 = SIMD4<Double>(w.lowHalf), w1 = SIMD4<Double>(w.highHalf)
        // The square of a Float is exact in Double (24 + 24 significant bits ≤ 53), so plain multiply and add
        // lose nothing to a fused multiply-add.
        s0 += v0 * v0; s1 += v1 * v1
        s2 += w0 * w0; s3 += w1 * w1
        i += 16
    }
    var total = ((s0 + s1) + (s2 + s3)).sum()
    while i < count {
        let d = Double(x[i])
        total += d * d
        i += 1
    }
    return total
}

/// The bias gradient: sums[c] += Σ_r x[r][c] over a rows × cols block with leading dimension ld.
///
/// Columns are summed 32 at a time down blocks of `rowBlock` rows in Float registers, and each block's partial
/// sum is added to `sums`; the rounding error then grows with rowBlock + rows / rowBlock rather than with rows.
public func addColumnSums(_ x: UnsafePointer<Float>, rows: Int, cols: Int, ld: Int,
                          into sums: UnsafeMutablePointer<Float>) {
    precondition(rows >= 0 && cols >= 0 && (rows <= 1 || ld >= cols), "addColumnSums: bad shape")
    let rowBlock = 64
    for r0 in stride(from: 0, to: rows, by: rowBlock) {
        let block = x + r0 * ld, blockRows = min(rowBlock, rows - r0)
        var c = 0
        while c + 32 <= cols {
            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
            var row = block + c
            for _ in 0..<blockRows {
                a0 += row.vector(at: 0); a1 += row.vector(at: 8)
                a2 += row.vector(at: 16); a3 += row.vector(at: 24)
                row += ld
            }
            sums.storeVector(sums.vector(at: c) + a0, at: c)
            sums.storeVector(sums.vector(at: c + 8) + a1, at: c + 8)
            sums.storeVector(sums.vector(at: c + 16) + a2, at: c + 16)
            sums.storeVector(sums.vector(at: c + 24) + a3, at: c + 24)
            c += 32
        }
        while c + 8 <= cols {
            var a = SIMD8<Float>()
            var row = block + c
            for _ in 0..<blockRows {
                a += row.vector(at: 0)
                row += ld
            }
            sums.storeVector(sums.vector(at: c) + a, at: c)
            c += 8
        }
        while c < cols {
            var a: Float = 0
            for r in 0..<blockRows { a += block[r * ld + c] }
            sums[c] += a
            c += 1
        }
    }
}
