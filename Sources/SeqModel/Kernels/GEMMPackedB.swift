/// Products with a B that many calls share: the recurrent weight, used by all T steps of a window.
///
/// Packing B once per window into 16-column panels (the layout `packB` writes) makes every step read each panel
/// as one contiguous block. Read in place instead, a panel's rows are a leading dimension apart; for H = 512
/// that is 2 KiB, so the rows of a panel fall into 2 of the 64 L1 sets, the panel cannot stay in L1 across the
/// row tiles, and each tile reads it again from L2. Packing costs one pass over W per window, against T
/// products that each read all of it. (Measured end to end on a loaded 2-vCPU machine the gain was within
/// the noise: H = 512, 21–31k against 25–26k chars/s; the layout is kept because it removes the conflict.)

/// Floats needed to pack a k × n matrix with `packGEMMPanels`.
public func packedPanelCount(k: Int, n: Int) -> Int {
    k * ((n + GEMMTile.cols - 1) / GEMMTile.cols * GEMMTile.cols)
}

/// Packs op(B)[k × n] (B stored n × k when `transB`) into 16-column panels: panel q occupies `16·k` floats from
/// `dst + 16q·k`, and step p of it holds B(p, 16q…16q+15), zero past column n. `dst` holds
/// `packedPanelCount(k:n:)` floats.
public func packGEMMPanels(_ b: UnsafePointer<Float>, ldb: Int, transB: Bool, k: Int, n: Int,
                           into dst: UnsafeMutablePointer<Float>) {
    precondition(k >= 0 && n >= 0 && ldb >= max(1, transB ? k : n), "packGEMMPanels: bad shape")
    packB(b, ldb: ldb, transB: transB, depth: k, cols: n, into: dst)
}

/// C[m×n] = (accumulate ? C : 0) + A·B for a row-major A (m × k) and a B packed by `packGEMMPanels`.
///
/// As `gemmSmallRows`, A is read in place by 6- and 4-row tiles (`inPlaceRowTiles`), depth in blocks of 256
/// steps; an 8-column edge gets the 8-wide kernel, and what is left of a ragged width, with the rows no tile
/// covers, goes through the vector-times-matrix loop on the panel (whose rows are 16 floats apart). Results agree with `gemmReference`
/// to within rounding, as `gemm`'s do.
public func gemmPackedB(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, packedB: UnsafePointer<Float>,
                        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    precondition(m >= 0 && n >= 0 && k >= 0 && lda >= max(1, k) && ldc >= max(1, n), "gemmPackedB: bad shape")
    guard m > 0 && n > 0 else { return }
    guard k > 0 else {
        if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
        return
    }
    let nr = GEMMTile.cols
    let fullRows = inPlaceTiledRows(m)
    // With the 512-bit kernel, pairs of full panels (as many columns as a multiple of 32 holds) go through
    // `inPlaceRowTilesWide`; the loop below starts where they end.
    let pairedColumns = GEMMKernels.wide ? n / 32 * 32 : 0
    for pc in stride(from: 0, to: k, by: GEMMBlocking.depthBlock) {
        let kc = min(GEMMBlocking.depthBlock, k - pc)
        let addToC = accumulate || pc > 0
        for j in stride(from: 0, to: pairedColumns, by: 2 * nr) {
            let panel = packedB + j * k + pc * nr
            inPlaceRowTilesWide(m: m, depth: kc, a: a + pc, lda: lda, b0: panel, b1: panel + nr * k, ldb: nr,
                                c: c + j, ldc: ldc, addToC: addToC)
        }
        for j in stride(from: pairedColumns, to: n, by: nr) {
            let cols = min(nr, n - j), vectors = cols / 8, tiled = 8 * vectors
            let panel = packedB + j * k + pc * nr
            if vectors > 0 {
                inPlaceRowTiles(m: m, vectors: vectors, depth: kc, a: a + pc, lda: lda, b: panel, ldb: nr,
                                c: c + j, ldc: ldc, addToC: addToC)
            }
            if tiled < cols {
                for i in 0..<fullRows {
                    gemmSingleRow(n: cols - tiled, k: kc, x: a + i * lda + pc, xStride: 1, b: panel + tiled, ldb: nr,
                                  c: c + i * ldc + j + tiled, addToC: addToC)
                }
            }
            for i in fullRows..<m {
                gemmSingleRow(n: cols, k: kc, x: a + i * lda + pc, xStride: 1, b: panel, ldb: nr,
                              c: c + i * ldc + j, addToC: addToC)
            }
        }
    }
}
