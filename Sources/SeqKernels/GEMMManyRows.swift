import AVX512Kernels

/// C[m × n] (+)= A·B for many rows (m > 64), both operands row-major: the products over a whole window, whose
/// m = T·B rows meet a weight of a layer's width — the decoder (n = V) and its backward (k = V).
///
/// Only B is packed, one block of 256 steps × 128 columns (128 KiB, in L2) at a time; A is read in place. The
/// blocked path would also copy A, and with n = V = 96 each copied value of A feeds only 192 flops. With the
/// 512-bit kernel the tiles go pairs of panels outer over 256 rows at a time (`wideTiles`), so a pair (32 KiB)
/// stays in L1 while 32 row tiles pass it and A's 256 rows (≤ 256 KiB) stay in L2; with tile rows outer, every
/// tile would read the whole block from L2. The 8-lane kernel keeps tile rows outer.
func gemmManyRows(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                  c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, width: KernelWidth) {
    let nr = GEMMTile.cols
    let blockColumns = min(n, GEMMBlocking.manyRowsColumnBlock)
    let panelCount = (blockColumns + nr - 1) / nr
    let blockDepth = min(k, GEMMBlocking.depthBlock)
    let packed = UnsafeMutablePointer<Float>.allocate(capacity: panelCount * nr * blockDepth)
    defer { packed.deallocate() }
    for jc in stride(from: 0, to: n, by: GEMMBlocking.manyRowsColumnBlock) {
        let nc = min(GEMMBlocking.manyRowsColumnBlock, n - jc)
        for pc in stride(from: 0, to: k, by: GEMMBlocking.depthBlock) {
            let kc = min(GEMMBlocking.depthBlock, k - pc)
            let addToC = accumulate || pc > 0
            packB(b + pc * ldb + jc, ldb: ldb, transB: false, depth: kc, cols: nc, into: packed)
            let aBlock = a + pc, cBlock = c + jc
            // With the 512-bit kernel: 8-row tiles against pairs of panels first; the 8-lane loops take the
            // columns past the pairs for those rows, and every column of the rows past the 8-row tiles.
            let (rows8, paired) = wideRegion(m: m, n: nc, width: width)
            if paired > 0 {
                for i in stride(from: 0, to: rows8, by: GEMMBlocking.rowBlock) {
                    wideTiles(rows: min(GEMMBlocking.rowBlock, rows8 - i), columns: paired, depth: kc,
                              a: aBlock + i * lda, aRowStride: lda, aStepStride: 1, b: packed,
                              pairStride: 2 * nr * kc, secondPanel: nr * kc, ldb: nr, c: cBlock + i * ldc,
                              ldc: ldc, addToC: addToC)
                }
                manyRowsBlock(m: rows8, nc: nc - paired, kc: kc, a: aBlock, lda: lda, packed: packed + paired * kc,
                              c: cBlock + paired, ldc: ldc, addToC: addToC)
                manyRowsBlock(m: m - rows8, nc: nc, kc: kc, a: aBlock + rows8 * lda, lda: lda, packed: packed,
                              c: cBlock + rows8 * ldc, ldc: ldc, addToC: addToC)
            } else {
                manyRowsBlock(m: m, nc: nc, kc: kc, a: aBlock, lda: lda, packed: packed, c: cBlock, ldc: ldc,
                              addToC: addToC)
            }
        }
    }
}

/// One packed block of `gemmManyRows` on the 8-lane kernel: C[m × nc] (+)= A[m × kc]·B, B's panels
/// 16·kc floats apart from `packed`.
private func manyRowsBlock(m: Int, nc: Int, kc: Int, a: UnsafePointer<Float>, lda: Int,
                           packed: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, addToC: Bool) {
    let nr = GEMMTile.cols
    let (sixes, fours) = inPlaceRowSplit(m)
    let tiledRows = 6 * sixes + 4 * fours
    let tiledColumns = nc / 8 * 8
    var i = 0
    for tile in 0..<(sixes + fours) {
        let rows = tile < sixes ? 6 : 4
        for jr in stride(from: 0, to: tiledColumns, by: nr) {
            gemmTile(rows: rows, vectors: min(2, (tiledColumns - jr) / 8), depth: kc,
                     a: a + i * lda, aRowStride: lda, aStepStride: 1, b: packed + jr * kc, ldb: nr,
                     c: c + i * ldc + jr, ldc: ldc, addToC: addToC)
        }
        i += rows
    }
    // What no tile covers goes one row at a time against the panels (whose steps are 16 floats apart): the
    // columns of a width that is not a multiple of 8, all in the last panel, for the tiled rows ...
    if tiledColumns < nc {
        let last = (nc - 1) / nr * nr
        for row in 0..<tiledRows {
            gemmSingleRow(n: nc - tiledColumns, k: kc, x: a + row * lda, xStride: 1,
                          b: packed + last * kc + (tiledColumns - last), ldb: nr,
                          c: c + row * ldc + tiledColumns, addToC: addToC)
        }
    }
    // ... and every column of the rows past the tiles (at most three).
    for row in tiledRows..<m {
        for jr in stride(from: 0, to: nc, by: nr) {
            gemmSingleRow(n: min(nr, nc - jr), k: kc, x: a + row * lda, xStride: 1,
                          b: packed + jr * kc, ldb: nr, c: c + row * ldc + jr, addToC: addToC)
        }
    }
}
