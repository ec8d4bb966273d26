import AVX512Kernels

/// C[m × n] (+)= Aᵀ·B for a shallow product (A stored k × m, B k × n, depth and row strides as
/// `GEMMBlocking.readsShallowInPlace` allows): the weight gradient of one step of a small batch. Both operands are
/// read in place by 8 × 32 tiles of the 512-bit kernel (a step's 8 values of A are adjacent in a stored row).
///
/// At this depth packing costs more than it saves, and C (K × N, read and written once) is most of the traffic.
/// So the row tiles are outer: each row block of C is swept in the order it is stored, which the hardware
/// prefetcher follows, while the tile's A and all of B (8 × 1,024 or 64 × 256 floats at most) are reused from
/// L1 or L2. With column pairs outer, as the per-step products run, C would be walked a leading dimension at a
/// time, which the prefetcher follows poorly. (The per-step products' prefetch of each tile's C is left out: in
/// this order C already streams, and the prefetch was slower; see docs/kernels.md.)
///
/// Each element of C is the same chain of fused multiply-adds from zero as on the packed path (one depth block),
/// then added to C, so the bits are too. Returns false, having done nothing, when the product is not shallow,
/// the 512-bit kernel is off or no full tile fits.
func gemmShallowTransposed(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                           b: UnsafePointer<Float>, ldb: Int,
                           c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, width: KernelWidth) -> Bool {
    let (rows, columns) = wideRegion(m: m, n: n, width: width)
    guard GEMMBlocking.readsShallowInPlace(depth: k, stride: max(lda, ldb)), rows > 0, columns > 0 else {
        return false
    }
    for i in stride(from: 0, to: rows, by: 8) {
        for j in stride(from: 0, to: columns, by: 32) {
            gemmTile512(rows: 8, depth: k, a: a + i, aRowStride: 1, aStepStride: lda, b0: b + j, b1: b + j + 16,
                        ldb: ldb, c: c + i * ldc + j, ldc: ldc, addToC: accumulate)
        }
    }
    // The columns past the pairs for every row, then the rows past the 8-row tiles, on the general path.
    if columns < n {
        gemm(m: m, n: n - columns, k: k, a: a, lda: lda, transA: true, b: b + columns, ldb: ldb, transB: false,
             c: c + columns, ldc: ldc, accumulate: accumulate)
    }
    if rows < m {
        gemm(m: m - rows, n: columns, k: k, a: a + rows, lda: lda, transA: true, b: b, ldb: ldb, transB: false,
             c: c + rows * ldc, ldc: ldc, accumulate: accumulate)
    }
    return true
}
