/// C[m × n] (+)= A·B for a few rows (m ≤ 32), both operands row-major and read in place: the products of a
/// short window (B = 1: the decoder over T·B = 25 rows) and anything else of batch size.
///
/// Such a product takes a few microseconds (32 × 128 × 128: ≈ 1 MFLOP), so what the blocked path does around
/// the micro-kernel — allocating a workspace, packing A, copying a ragged B panel — is a visible share of it.
/// Here the micro-kernel broadcasts A straight from its rows (the same instruction as from a packed panel) and
/// reads B's rows in place; columns go in tiles of 16, then one of 8, and what is left of a width that is not a
/// multiple of 8, with the rows past a multiple of 4, goes through the vector-times-matrix loop. Depth is
/// blocked as in `gemm` (256 steps). (A B that many calls share is better packed once: `gemmPackedB`.)
func gemmSmallRows(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                   c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    let fullRows = m - m % GEMMTile.smallRows
    for pc in stride(from: 0, to: k, by: GEMMBlocking.depthBlock) {
        let kc = min(GEMMBlocking.depthBlock, k - pc)
        let addToC = accumulate || pc > 0
        var j = 0
        while n - j >= 8 {
            let vectors = min(2, (n - j) / 8)
            for i in stride(from: 0, to: fullRows, by: GEMMTile.smallRows) {
                gemmTile(rows: GEMMTile.smallRows, vectors: vectors, depth: kc, a: a + i * lda + pc, aRowStride: lda, aStepStride: 1,
                         b: b + pc * ldb + j, ldb: ldb, c: c + i * ldc + j, ldc: ldc, addToC: addToC)
            }
            j += 8 * vectors
        }
        if j < n {
            for i in 0..<fullRows {
                gemmSingleRow(n: n - j, k: kc, x: a + i * lda + pc, xStride: 1, b: b + pc * ldb + j, ldb: ldb,
                              c: c + i * ldc + j, addToC: addToC)
            }
        }
        for i in fullRows..<m {
            gemmSingleRow(n: n, k: kc, x: a + i * lda + pc, xStride: 1, b: b + pc * ldb, ldb: ldb,
                          c: c + i * ldc, addToC: addToC)
        }
    }
}
