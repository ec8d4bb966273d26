import AVX512Kernels

/// Single-precision matrix multiply, C = (accumulate ? C : 0) + op(A)·op(B), blocked for one core.
///
/// The structure is the Goto/BLIS one: split k into blocks of `depthBlock` steps and n into blocks of
/// `columnBlock` columns; pack `rowBlock` rows of A for the depth block (kept in L2); then sweep the 6 × 16
/// micro-kernel (`gemmMicroKernel`) over the block, one 16-column B panel (kept in L1) against every 6-row A
/// panel in turn, so each B value loaded from L1 feeds 6 FMAs and each broadcast A value 2 (the 512-bit
/// kernel takes two panels at once against 8-row A panels, one 16-lane FMA each). The cache sizes below are the
/// smallest the blocks are sized for (32 KiB L1d, 512 KiB L2); CPUs with AVX-512 have more of both.
///
/// How B reaches the micro-kernel depends on m (see `BLayout`): for small m (a batch of rows), copying B would
/// cost as much as using it. m = 1 goes to a vector-times-matrix loop that streams B once (or to dot products
/// with B's rows when B is transposed); with neither operand transposed, up to 64 rows go to `gemmSmallRows`,
/// which neither packs nor allocates, and more to `gemmManyRows`, which packs only B. So the blocked loops
/// below serve the transposed forms: weight gradients, Aᵀ·B over a window (a shallow one, the weight gradient
/// of a single small batch, reads both operands in place: `gemmShallowTransposed`). (The per-step products of
/// a recurrent layer, which share one B across a window, use `gemmPackedB`.)
enum GEMMBlocking {
    /// Steps of k per block: a 16-column B panel is then 16 KiB, half of the 32 KiB L1 data cache. (The
    /// per-step products keep 256 on the 512-bit kernel too: 128, to fit a pair of panels beside A in L1, was
    /// slower; see docs/kernels.md.)
    static let depthBlock = 256
    /// Steps of k per block when A is transposed (weight gradients, in `gemmBlocked`), where every tile's B
    /// panels come from a packed block: the 512-bit kernel's pair of panels is then 16 KiB, a third of a
    /// 48 KiB L1, beside the A panel streaming past it (at 256 steps the pair alone took 32 KiB). The price is
    /// reading C back twice as often, which costs once C (K × N) has left L2.
    static let transposedDepthBlock = 128

    /// Steps of k per block for a form: every path sums each element of C block by block in this order.
    static func depth(transA: Bool) -> Int { transA ? transposedDepthBlock : depthBlock }

    /// Whether a product with A transposed reads both operands in place (`gemmShallowTransposed`): a depth of up
    /// to 8 steps with rows up to 1,024 floats apart, or up to 64 steps with rows up to 256 apart. Deeper or
    /// wider, a tile's rows of A and B, a stride apart, no longer stay in L1 across the tiles of a row.
    static func readsShallowInPlace(depth: Int, stride: Int) -> Bool {
        depth <= 8 && stride <= 1024 || depth <= 64 && stride <= 256
    }

    /// Rows per packed A panel: the 8-lane kernel's 6, or with the 512-bit kernel 8, its own tile height (16
    /// FMAs per 10 loads instead of 12 per 8, and m = 32 in four whole tiles). Same sums in the same order, so
    /// the same bits.
    static func packedRows(_ width: KernelWidth) -> Int { width.isWide ? 8 : GEMMTile.rows }
    /// Rows of A per packed block: 256 × 256 floats = 256 KiB, half of the 512 KiB L2.
    static let rowBlock = 256
    /// Columns of B per block (only matters for packed blocks): 256 × 2048 floats = 2 MiB, in the shared L3.
    static let columnBlock = 128 * GEMMTile.cols
    /// Up to this many rows of C, a row-major B is read in place (see `BLayout.inPlace`).
    static let inPlaceBRowLimit = 32
    /// Up to this many rows, a product with neither operand transposed reads both in place (`gemmSmallRows`);
    /// above, B is packed (`gemmManyRows`). Up to 64 rows, packing B costs as much as the rows gain from it.
    static let smallRowsLimit = 64
    /// Columns of B per packed block in `gemmManyRows`: 256 × 128 floats = 128 KiB, a quarter of L2.
    static let manyRowsColumnBlock = 8 * GEMMTile.cols

    /// Where the micro-kernel reads its 16-column B panels from.
    enum BLayout {
        /// B itself (row-major, not transposed); only a ragged last panel is copied. For up to 32 rows of C,
        /// each panel feeds at most 8 row tiles, and copying it costs more than it saves.
        case inPlace
        /// Each panel copied just before use into a buffer that stays in L1. When all rows of C fit in one row
        /// block, each panel is used once per depth block, so packing the whole block ahead would only add a
        /// round trip through L2; copying still pays for itself, as B's rows are a leading dimension apart and,
        /// for power-of-two widths, would otherwise collide in a few L1 sets.
        case packedPanel
        /// The whole depth × columnBlock block packed once and shared by every row block of A. Always with the
        /// 512-bit kernel (the block, ≤ 1 MiB at these widths, fits the L2 of the CPUs that have it), since
        /// packing a block reads B's rows in order where a panel at a time strides through them.
        case packedBlock
    }

    static func bLayout(m: Int, transB: Bool, width: KernelWidth) -> BLayout {
        if !transB && m <= inPlaceBRowLimit { return .inPlace }
        return m > rowBlock || width.isWide ? .packedBlock : .packedPanel
    }
}

/// C[m×n] = (accumulate ? C : 0) + op(A)·op(B); op(A) is m×k (A stored k×m when transA), op(B) is k×n
/// (B stored n×k when transB). All matrices are row-major with the given leading dimensions (distance in
/// elements between consecutive stored rows). C must not overlap A or B.
///
/// Summation order differs from a naive loop (blocks of 128 or 256 steps, see `GEMMBlocking.depth`, fused
/// multiply-adds), so results agree with `gemmReference` to within a few units of rounding of
/// Σₚ |A(i,p)·B(p,j)|, not bit for bit.
public func gemm(m: Int, n: Int, k: Int,
                 a: UnsafePointer<Float>, lda: Int, transA: Bool,
                 b: UnsafePointer<Float>, ldb: Int, transB: Bool,
                 c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, width: KernelWidth = .preferred) {
    precondition(m >= 0 && n >= 0 && k >= 0, "gemm: negative size m=\(m) n=\(n) k=\(k)")
    precondition(lda >= max(1, transA ? m : k), "gemm: lda \(lda) too small")
    precondition(ldb >= max(1, transB ? k : n), "gemm: ldb \(ldb) too small")
    precondition(ldc >= max(1, n), "gemm: ldc \(ldc) too small")
    guard m > 0 && n > 0 else { return }
    guard k > 0 else {
        if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
        return
    }
    if m == 1 && !transB {
        gemmSingleRow(n: n, k: k, x: a, xStride: transA ? lda : 1, b: b, ldb: ldb, c: c, addToC: accumulate)
        return
    }
    if m == 1 && (!transA || lda == 1) {
        gemmSingleRowTransposedB(n: n, k: k, x: a, b: b, ldb: ldb, c: c, addToC: accumulate)
        return
    }

    if !transA && !transB {
        if m <= GEMMBlocking.smallRowsLimit {
            gemmSmallRows(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate,
                          width: width)
        } else {
            gemmManyRows(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate,
                         width: width)
        }
        return
    }
    if transA && !transB && gemmShallowTransposed(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
                                                  c: c, ldc: ldc, accumulate: accumulate, width: width) {
        return
    }
    gemmBlocked(m: m, n: n, k: k, a: a, lda: lda, transA: transA, b: b, ldb: ldb, transB: transB,
                c: c, ldc: ldc, accumulate: accumulate, width: width)
}

/// The blocked loops around the micro-kernel, for k ≥ 1.
private func gemmBlocked(m: Int, n: Int, k: Int,
                         a: UnsafePointer<Float>, lda: Int, transA: Bool,
                         b: UnsafePointer<Float>, ldb: Int, transB: Bool,
                         c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, width: KernelWidth) {
    let mr = GEMMBlocking.packedRows(width), nr = GEMMTile.cols
    let layout = GEMMBlocking.bLayout(m: m, transB: transB, width: width)
    let depthBlock = GEMMBlocking.depth(transA: transA)
    let kcMax = min(k, depthBlock)
    let aCount = (min(m, GEMMBlocking.rowBlock) + mr - 1) / mr * mr * kcMax
    // Panels per step of the column loop: a pair for the 512-bit kernel, which also needs a pair-wide edge tile.
    let step = width.isWide ? 2 * nr : nr
    let bCount = (layout == .packedBlock ? (min(n, GEMMBlocking.columnBlock) + nr - 1) / nr * nr : step) * kcMax
    let total = aCount + bCount + mr * step
    let workspace = UnsafeMutableRawPointer.allocate(byteCount: total * MemoryLayout<Float>.stride, alignment: 64)
    defer { workspace.deallocate() }
    let aPack = workspace.bindMemory(to: Float.self, capacity: total)
    let bPack = aPack + aCount
    let edgeTile = bPack + bCount          // a ragged tile of C is computed here (rows `step` apart), then merged

    for jc in stride(from: 0, to: n, by: GEMMBlocking.columnBlock) {
        let nc = min(GEMMBlocking.columnBlock, n - jc)
        for pc in stride(from: 0, to: k, by: depthBlock) {
            let kc = min(depthBlock, k - pc)
            let addToC = accumulate || pc > 0
            let bBlock = transB ? b + jc * ldb + pc : b + pc * ldb + jc
            if layout == .packedBlock {
                packB(bBlock, ldb: ldb, transB: transB, depth: kc, cols: nc, into: bPack)
            }
            for ic in stride(from: 0, to: m, by: GEMMBlocking.rowBlock) {
                let mc = min(GEMMBlocking.rowBlock, m - ic)
                // All of the block before its tiles: packing the next block between this one's tiles, to overlap
                // the copies with the FMAs, was slower (docs/kernels.md).
                packA(transA ? a + pc * lda + ic : a + ic * lda + pc, lda: lda, transA: transA, panelRows: mr,
                      rows: mc, depth: kc, into: aPack)
                var jr = 0
                while jr < nc {
                    // Two full panels for the 512-bit kernel, else one (an 8-column edge gets the 8-wide
                    // kernel, a ragged one a padded full tile).
                    let pair = width.isWide && nc - jr >= 2 * nr
                    let cols = pair ? 2 * nr : min(nr, nc - jr)
                    let vectors = cols % 8 == 0 ? min(2, cols / 8) : 2
                    let panel: UnsafePointer<Float>, panelStride: Int, secondPanel: UnsafePointer<Float>
                    if layout == .packedBlock {
                        (panel, panelStride) = (UnsafePointer(bPack + jr * kc), nr)
                        secondPanel = panel + nr * kc
                    } else if layout == .inPlace && cols % 8 == 0 {
                        (panel, panelStride) = (bBlock + jr, ldb)
                        secondPanel = panel + nr
                    } else {
                        packB(transB ? bBlock + jr * ldb : bBlock + jr, ldb: ldb, transB: transB, depth: kc,
                              cols: cols, into: bPack)
                        (panel, panelStride) = (UnsafePointer(bPack), nr)
                        secondPanel = panel + nr * kc
                    }
                    for ir in stride(from: 0, to: mc, by: mr) {
                        let rows = min(mr, mc - ir)
                        let full = rows == mr && cols % 8 == 0
                        let (target, targetStride) = full ? (c + (ic + ir) * ldc + jc + jr, ldc) : (edgeTile, step)
                        if pair {
                            // C's tile is prefetched as in `wideTiles`: here C is a weight gradient, in L2 or
                            // (4 MiB at K = N = 1024) L3, and the loads after the loop would otherwise stall on it.
                            if full && addToC { prefetchWideTile(target, ldc: ldc) }
                            gemmTile512(rows: mr, depth: kc, a: aPack + ir * kc, aRowStride: 1, aStepStride: mr,
                                        b0: panel, b1: secondPanel, ldb: panelStride, c: target, ldc: targetStride,
                                        addToC: full && addToC)
                        } else {
                            // The 8-lane kernel takes at most 6 rows: an 8-row panel goes as two halves.
                            let part = mr == 8 ? 4 : mr
                            for r0 in stride(from: 0, to: mr, by: part) {
                                gemmTile(rows: part, vectors: vectors, depth: kc, a: aPack + ir * kc + r0,
                                         aRowStride: 1, aStepStride: mr, b: panel, ldb: panelStride,
                                         c: target + r0 * targetStride, ldc: targetStride, addToC: full && addToC)
                            }
                        }
                        if !full {
                            let cTile = c + (ic + ir) * ldc + jc + jr
                            for r in 0..<rows {
                                let source = edgeTile + r * step, row = cTile + r * ldc
                                for j in 0..<cols { row[j] = addToC ? row[j] + source[j] : source[j] }
                            }
                        }
                    }
                    jr += cols
                }
            }
        }
    }
}
