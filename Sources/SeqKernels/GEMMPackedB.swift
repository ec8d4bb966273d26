import AVX512Kernels

/// Products with a B that many calls share: the recurrent weight, used by all T steps of a window.
///
/// Packing B once per window into 16-column panels (the layout `packB` writes) makes every step read each panel
/// as one contiguous block. Read in place instead, a panel's rows are a leading dimension apart; for H = 512
/// that is 2 KiB, so the rows of a panel fall into 2 of the 64 L1 sets, the panel cannot stay in L1 across the
/// row tiles, and each tile reads it again from L2. Packing costs one pass over W per window, against T
/// products that each read all of it.

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
/// As `gemmSmallRows`, A is read in place by 6- and 4-row tiles (`inPlaceRowTiles`; 8-row tiles on pairs of
/// panels with the 512-bit kernel), depth in blocks of 256 steps; an 8-column edge gets the 8-wide kernel, what
/// is left of a ragged width the same tiles on a padded copy (`raggedColumnTiles`), and the rows no tile covers
/// (all of them at m = 1) `packedRowTimesPanels`. Results agree with `gemmReference` to within rounding, as
/// `gemm`'s do.
public func gemmPackedB(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, packedB: UnsafePointer<Float>,
                        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, width: KernelWidth = .preferred) {
    precondition(m >= 0 && n >= 0 && k >= 0 && lda >= max(1, k) && ldc >= max(1, n), "gemmPackedB: bad shape")
    guard m > 0 && n > 0 else { return }
    guard k > 0 else {
        if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
        return
    }
    let nr = GEMMTile.cols
    // With the 512-bit kernel, 8-row tiles against pairs of panels first; the 8-lane loops take the columns
    // past the pairs for those rows, and every column of the rows past the 8-row tiles.
    let (wideRows, pairedColumns) = wideRegion(m: m, n: n, width: width)
    guard pairedColumns > 0 else {
        packedBNarrow(m: m, n: n, k: k, a: a, lda: lda, packedB: packedB, c: c, ldc: ldc, accumulate: accumulate, width: width)
        return
    }
    for pc in stride(from: 0, to: k, by: GEMMBlocking.depthBlock) {
        wideTiles(rows: wideRows, columns: pairedColumns, depth: min(GEMMBlocking.depthBlock, k - pc), a: a + pc,
                  aRowStride: lda, aStepStride: 1, b: packedB + pc * nr, pairStride: 2 * nr * k, secondPanel: nr * k,
                  ldb: nr, c: c, ldc: ldc, addToC: accumulate || pc > 0)
    }
    packedBNarrow(m: wideRows, n: n - pairedColumns, k: k, a: a, lda: lda, packedB: packedB + pairedColumns * k,
                  c: c + pairedColumns, ldc: ldc, accumulate: accumulate, width: width)
    packedBNarrow(m: m - wideRows, n: n, k: k, a: a + wideRows * lda, lda: lda, packedB: packedB,
                  c: c + wideRows * ldc, ldc: ldc, accumulate: accumulate, width: width)
}

/// `gemmPackedB` on the 8-lane kernel, for any m and n ≥ 0 (B's panels 16·k floats apart from `packedB`).
private func packedBNarrow(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, packedB: UnsafePointer<Float>,
                           c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool,
                           width: KernelWidth) {
    let nr = GEMMTile.cols
    let fullRows = inPlaceTiledRows(m)
    for pc in stride(from: 0, to: k, by: GEMMBlocking.depthBlock) {
        let kc = min(GEMMBlocking.depthBlock, k - pc)
        let addToC = accumulate || pc > 0
        for j in stride(from: 0, to: n, by: nr) where fullRows > 0 {
            let cols = min(nr, n - j), vectors = cols / 8, tiled = 8 * vectors
            let panel = packedB + j * k + pc * nr
            if vectors > 0 {
                inPlaceRowTiles(m: m, vectors: vectors, depth: kc, a: a + pc, lda: lda, b: panel, ldb: nr,
                                c: c + j, ldc: ldc, addToC: addToC)
            }
            if tiled < cols {
                raggedColumnTiles(m: m, n: cols - tiled, depth: kc, a: a + pc, lda: lda, b: panel + tiled, ldb: nr,
                                  c: c + j + tiled, ldc: ldc, addToC: addToC)
            }
        }
        for i in fullRows..<m {
            packedRowTimesPanels(n: n, k: kc, x: a + i * lda + pc, panels: packedB + pc * nr, panelStride: nr * k,
                                 c: c + i * ldc, addToC: addToC, width: width)
        }
    }
}

/// c[0..<n] = (addToC ? c : 0) + x·B for one row x (`k` values) and a B packed into 16-column panels, step p of
/// panel q at `panels + q·panelStride + 16p`: the per-step product of a batch of one.
///
/// Four panels at a time in eight accumulators: one panel's two would leave the loop waiting on the FMA's
/// latency, as a 1-row product has no other rows to interleave. The last group (fewer than four panels, the
/// last maybe ragged, zero-padded by the packing) runs the same loop into a buffer, re-reading its last panel
/// for the missing ones, and keeps what falls inside n. Each element is still one chain over p, in the order
/// the tiles use. With the 512-bit kernel, `packedRowTimesPanels512` does the same eight panels at a time on
/// sixteen lanes, twice the work per FMA.
func packedRowTimesPanels(n: Int, k: Int, x: UnsafePointer<Float>, panels: UnsafePointer<Float>, panelStride: Int,
                          c: UnsafeMutablePointer<Float>, addToC: Bool, width: KernelWidth) {
    if width.isWide {
        packedRowTimesPanels512(n: n, k: k, x: x, panels: panels, panelStride: panelStride, c: c, addToC: addToC)
        return
    }
    let nr = GEMMTile.cols, panelCount = (n + nr - 1) / nr
    var tail = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
    for q in stride(from: 0, to: panelCount, by: 4) {
        let last = min(q + 3, panelCount - 1)
        var s00 = SIMD8<Float>(), s01 = SIMD8<Float>(), s10 = SIMD8<Float>(), s11 = SIMD8<Float>()
        var s20 = SIMD8<Float>(), s21 = SIMD8<Float>(), s30 = SIMD8<Float>(), s31 = SIMD8<Float>()
        var b0 = panels + q * panelStride, b1 = panels + min(q + 1, last) * panelStride
        var b2 = panels + min(q + 2, last) * panelStride, b3 = panels + last * panelStride
        for p in 0..<k {
            let xv = SIMD8<Float>(repeating: x[p])
            s00 = multiplyAdd(xv, b0.vector(at: 0), s00); s01 = multiplyAdd(xv, b0.vector(at: 8), s01)
            s10 = multiplyAdd(xv, b1.vector(at: 0), s10); s11 = multiplyAdd(xv, b1.vector(at: 8), s11)
            s20 = multiplyAdd(xv, b2.vector(at: 0), s20); s21 = multiplyAdd(xv, b2.vector(at: 8), s21)
            s30 = multiplyAdd(xv, b3.vector(at: 0), s30); s31 = multiplyAdd(xv, b3.vector(at: 8), s31)
            b0 += nr; b1 += nr; b2 += nr; b3 += nr
        }
        let columns = min(4 * nr, n - q * nr), out = c + q * nr
        if columns == 4 * nr {
            store(s00, to: out, addTo: addToC); store(s01, to: out + 8, addTo: addToC)
            store(s10, to: out + 16, addTo: addToC); store(s11, to: out + 24, addTo: addToC)
            store(s20, to: out + 32, addTo: addToC); store(s21, to: out + 40, addTo: addToC)
            store(s30, to: out + 48, addTo: addToC); store(s31, to: out + 56, addTo: addToC)
        } else {
            tail = (SIMD16(lowHalf: s00, highHalf: s01), SIMD16(lowHalf: s10, highHalf: s11),
                    SIMD16(lowHalf: s20, highHalf: s21), SIMD16(lowHalf: s30, highHalf: s31))
            withUnsafeBytes(of: &tail) { buffer in
                let sums = buffer.bindMemory(to: Float.self)
                for j in 0..<columns { out[j] = addToC ? out[j] + sums[j] : sums[j] }
            }
        }
    }
}
