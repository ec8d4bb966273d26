/// C[m × n] (+)= Aᵀ·B for a shallow product (A stored k × m, B k × n, k and the row strides within the limits
/// in `GEMMBlocking`): the weight gradient of one step of a small batch. Both operands are read in place by
/// 8 × 32 tiles of the 512-bit kernel (a step's 8 values of A are adjacent in a stored row).
///
/// At this depth packing costs more than it saves: a tile's k rows of A and the pair of B panels (2k cache
/// lines, reused by every row tile) fit in L1 as they are, unless the rows are so far apart (4 KiB) that
/// they all fall into one set. Each element of C is the same chain of fused multiply-adds from zero as on the
/// packed path (one depth block), then added to C, so the bits are too. Returns false, having done nothing,
/// when the product is not shallow, the 512-bit kernel is off or no full tile fits.
func gemmShallowTransposed(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                           b: UnsafePointer<Float>, ldb: Int,
                           c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) -> Bool {
    let (rows, columns) = wideRegion(m: m, n: n)
    guard k <= GEMMBlocking.shallowDepthLimit, max(lda, ldb) <= GEMMBlocking.shallowStrideLimit,
          rows > 0, columns > 0 else { return false }
    wideTiles(rows: rows, columns: columns, depth: k, a: a, aRowStride: 1, aStepStride: lda, b: b, pairStride: 32,
              secondPanel: 16, ldb: ldb, c: c, ldc: ldc, addToC: accumulate)
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
