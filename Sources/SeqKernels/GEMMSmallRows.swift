/// C[m × n] (+)= A·B for a few rows (m ≤ 64), both operands row-major and read in place: the products of a
/// short window (B = 1: the decoder over T·B = 25 rows) and anything else of batch size.
///
/// Such a product takes a few microseconds (32 × 128 × 128: ≈ 1 MFLOP), so what the blocked path does around
/// the micro-kernel — allocating a workspace, packing A, copying a ragged B panel — is a visible share of it.
/// Here the micro-kernel broadcasts A straight from its rows (the same instruction as from a packed panel) and
/// reads B's rows in place; columns go in tiles of 16, then one of 8, then what is left of a width that is not a
/// multiple of 8 on a zero-padded copy of those few columns (`raggedColumnTiles`, the one copy here); the rows no
/// tile covers (see `inPlaceRowTiles`) go through the vector-times-matrix loop. With the 512-bit kernel, 8-row
/// tiles take pairs of 16 columns first (`wideTiles`). Depth is blocked as in `gemm` (256 steps). (A B that many
/// calls share is better packed once: `gemmPackedB`.)
func gemmSmallRows(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                   c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, width: KernelWidth) {
    let (wideRows, pairedColumns) = wideRegion(m: m, n: n, width: width)
    guard pairedColumns > 0 else {
        smallRowsNarrow(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate)
        return
    }
    for pc in stride(from: 0, to: k, by: GEMMBlocking.depthBlock) {
        wideTiles(rows: wideRows, columns: pairedColumns, depth: min(GEMMBlocking.depthBlock, k - pc), a: a + pc,
                  aRowStride: lda, aStepStride: 1, b: b + pc * ldb, pairStride: 32, secondPanel: 16, ldb: ldb,
                  c: c, ldc: ldc, addToC: accumulate || pc > 0)
    }
    smallRowsNarrow(m: wideRows, n: n - pairedColumns, k: k, a: a, lda: lda, b: b + pairedColumns, ldb: ldb,
                    c: c + pairedColumns, ldc: ldc, accumulate: accumulate)
    smallRowsNarrow(m: m - wideRows, n: n, k: k, a: a + wideRows * lda, lda: lda, b: b, ldb: ldb,
                    c: c + wideRows * ldc, ldc: ldc, accumulate: accumulate)
}

/// `gemmSmallRows` on the 8-lane kernel, for any m and n ≥ 0.
private func smallRowsNarrow(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>,
                             ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    let fullRows = inPlaceTiledRows(m)
    for pc in stride(from: 0, to: k, by: GEMMBlocking.depthBlock) {
        let kc = min(GEMMBlocking.depthBlock, k - pc)
        let addToC = accumulate || pc > 0
        var j = 0
        while n - j >= 8 {
            let vectors = min(2, (n - j) / 8)
            inPlaceRowTiles(m: m, vectors: vectors, depth: kc, a: a + pc, lda: lda, b: b + pc * ldb + j, ldb: ldb,
                            c: c + j, ldc: ldc, addToC: addToC)
            j += 8 * vectors
        }
        if j < n {
            raggedColumnTiles(m: m, n: n - j, depth: kc, a: a + pc, lda: lda, b: b + pc * ldb + j, ldb: ldb,
                              c: c + j, ldc: ldc, addToC: addToC)
        }
        for i in fullRows..<m {
            gemmSingleRow(n: n, k: kc, x: a + i * lda + pc, xStride: 1, b: b + pc * ldb, ldb: ldb,
                          c: c + i * ldc, addToC: addToC)
        }
    }
}

/// C[rows × n] (+)= A·B for the last n < 8 columns of a product, over the rows `inPlaceRowTiles` covers (here, and
/// for a packed B in `gemmPackedB`): those columns of B copied into an 8-wide panel padded with zeros, the tiles
/// run on it into a scratch block, and the n columns that exist added to C. The vector-times-matrix loop, row by
/// row, would take so few columns one scalar chain at a time (H = 100 leaves 4 such columns). Each
/// element is the tile's chain over the depth block from zero, then added to C, as the vector-times-matrix loop
/// summed it, so the bits are the same.
func raggedColumnTiles(m: Int, n: Int, depth: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>,
                       ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int, addToC: Bool) {
    let rows = inPlaceTiledRows(m)
    guard rows > 0 else { return }
    withUnsafeTemporaryAllocation(of: Float.self, capacity: 8 * (depth + rows)) { buffer in
        let panel = buffer.baseAddress!, sums = panel + 8 * depth
        for p in 0..<depth {
            for q in 0..<8 { panel[8 * p + q] = q < n ? b[p * ldb + q] : 0 }
        }
        inPlaceRowTiles(m: m, vectors: 1, depth: depth, a: a, lda: lda, b: panel, ldb: 8, c: sums, ldc: 8,
                        addToC: false)
        for i in 0..<rows {
            for q in 0..<n { c[i * ldc + q] = addToC ? c[i * ldc + q] + sums[8 * i + q] : sums[8 * i + q] }
        }
    }
}

/// The rows of an m-row A read in place that `inPlaceRowTiles` covers: all but at most one for m ≥ 4
/// (the rest go through the vector-times-matrix loop).
func inPlaceTiledRows(_ m: Int) -> Int {
    let (six, four) = inPlaceRowSplit(m)
    return 6 * six + 4 * four
}

/// How many 6-row and 4-row tiles cover m rows: as many 6-row tiles as leave a multiple of 4 (or one row
/// more). A 6-row tile keeps twelve accumulators in flight against the FMA's 2 × 4-cycle pipeline where a
/// 4-row tile keeps exactly eight, with no slack for a late load, so 6-row tiles go first. m = 32 becomes
/// 4 × 6 + 2 × 4.
func inPlaceRowSplit(_ m: Int) -> (six: Int, four: Int) {
    var six = m / 6, rest = m % 6
    if rest == 2 || rest == 3, six > 0 { six -= 1; rest += 6 }
    return (six, rest / 4)
}

/// C[rows × 8·vectors] (+)= A·B over the tiles of `inPlaceRowSplit(m)`, for A (m rows, `lda` apart) read in
/// place and one B panel; returns the rows covered.
@inline(__always)
@discardableResult
func inPlaceRowTiles(m: Int, vectors: Int, depth: Int, a: UnsafePointer<Float>, lda: Int,
                     b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                     addToC: Bool) -> Int {
    let (six, four) = inPlaceRowSplit(m)
    var i = 0
    for _ in 0..<six {
        gemmTile(rows: 6, vectors: vectors, depth: depth, a: a + i * lda, aRowStride: lda, aStepStride: 1,
                 b: b, ldb: ldb, c: c + i * ldc, ldc: ldc, addToC: addToC)
        i += 6
    }
    for _ in 0..<four {
        gemmTile(rows: 4, vectors: vectors, depth: depth, a: a + i * lda, aRowStride: lda, aStepStride: 1,
                 b: b, ldb: ldb, c: c + i * ldc, ldc: ldc, addToC: addToC)
        i += 4
    }
    return i
}
