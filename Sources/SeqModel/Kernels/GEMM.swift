/// Single-precision matrix multiply, C = (accumulate ? C : 0) + op(A)·op(B), blocked for one core.
///
/// The structure is the classic Goto/BLIS one: split k into blocks of `depthBlock` and n into blocks of
/// `columnBlock`; pack a depth × columns block of B once and reuse it for every row block of A; pack
/// `rowBlock` rows of A (kept in L2), and sweep the 4 × 16 micro-kernel (`gemmMicroKernel`) over the block,
/// one 16-column B panel (kept in L1) against every 4-row A panel in turn.
///
/// Small m is the forward pass of a recurrent step (m = batch size). There, packing B would cost as much as
/// the multiply itself, so a row-major B is read in place (only a ragged last panel is copied), and m = 1
/// goes to a vector-times-matrix loop that streams B once.
public enum GEMMBlocking {
    /// Steps of k per packed block: a 16-column B panel is then 16 KiB, half of the 32 KiB L1 data cache.
    static let depthBlock = 256
    /// Rows of A per packed block: 128 × 256 floats = 128 KiB, a quarter of the 512 KiB L2.
    static let rowBlock = 128
    /// Columns of B per packed block: 256 × 2048 floats = 2 MiB, well inside the shared L3.
    static let columnBlock = 2048
    /// Up to this many rows of C, a row-major B is used in place rather than packed.
    nonisolated(unsafe) public static var unpackedBRowLimit = 16
}

/// C[m×n] = (accumulate ? C : 0) + op(A)·op(B); op(A) is m×k (A stored k×m when transA), op(B) is k×n
/// (B stored n×k when transB). All matrices are row-major with the given leading dimensions (distance in
/// elements between consecutive stored rows). C must not overlap A or B.
///
/// Summation order differs from a naive loop (blocks of 256 steps, fused multiply-adds), so results agree with
/// `gemmReference` to within a few units of rounding of Σₚ |A(i,p)·B(p,j)|, not bit for bit.
public func gemm(m: Int, n: Int, k: Int,
                 a: UnsafePointer<Float>, lda: Int, transA: Bool,
                 b: UnsafePointer<Float>, ldb: Int, transB: Bool,
                 c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
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

    let mr = GEMMTile.rows, nr = GEMMTile.cols
    let packsB = transB || m > GEMMBlocking.unpackedBRowLimit
    let kcMax = min(k, GEMMBlocking.depthBlock)
    let mcMax = min(m, GEMMBlocking.rowBlock)
    let ncMax = min(n, GEMMBlocking.columnBlock)
    let aCount = (mcMax + mr - 1) / mr * mr * kcMax
    let bCount = packsB ? (ncMax + nr - 1) / nr * nr * kcMax : nr * kcMax
    let workspace = UnsafeMutableRawPointer.allocate(
        byteCount: (aCount + bCount + mr * nr) * MemoryLayout<Float>.stride, alignment: 64)
    defer { workspace.deallocate() }
    let aPack = workspace.bindMemory(to: Float.self, capacity: aCount + bCount + mr * nr)
    let bPack = aPack + aCount
    let tile = bPack + bCount

    for jc in stride(from: 0, to: n, by: GEMMBlocking.columnBlock) {
        let nc = min(GEMMBlocking.columnBlock, n - jc)
        for pc in stride(from: 0, to: k, by: GEMMBlocking.depthBlock) {
            let kc = min(GEMMBlocking.depthBlock, k - pc)
            let addToC = accumulate || pc > 0
            let bBlock = transB ? b + jc * ldb + pc : b + pc * ldb + jc
            let raggedColumns = nc % nr
            if packsB {
                packB(bBlock, ldb: ldb, transB: transB, depth: kc, cols: nc, into: bPack)
            } else if raggedColumns > 0 {
                packB(bBlock + (nc - raggedColumns), ldb: ldb, transB: false, depth: kc, cols: raggedColumns,
                      into: bPack)
            }
            for ic in stride(from: 0, to: m, by: GEMMBlocking.rowBlock) {
                let mc = min(GEMMBlocking.rowBlock, m - ic)
                packA(transA ? a + pc * lda + ic : a + ic * lda + pc, lda: lda, transA: transA,
                      rows: mc, depth: kc, into: aPack)
                for jr in stride(from: 0, to: nc, by: nr) {
                    let cols = min(nr, nc - jr)
                    let panel: UnsafePointer<Float>, panelStride: Int
                    if packsB {
                        (panel, panelStride) = (UnsafePointer(bPack + jr * kc), nr)
                    } else if cols < nr {
                        (panel, panelStride) = (UnsafePointer(bPack), nr)
                    } else {
                        (panel, panelStride) = (bBlock + jr, ldb)
                    }
                    for ir in stride(from: 0, to: mc, by: mr) {
                        let rows = min(mr, mc - ir)
                        let cTile = c + (ic + ir) * ldc + jc + jr
                        if rows == mr && cols == nr {
                            gemmMicroKernel(depth: kc, a: aPack + ir * kc, b: panel, ldb: panelStride,
                                            c: cTile, ldc: ldc, addToC: addToC)
                        } else {
                            gemmMicroKernel(depth: kc, a: aPack + ir * kc, b: panel, ldb: panelStride,
                                            c: tile, ldc: nr, addToC: false)
                            for r in 0..<rows {
                                for j in 0..<cols {
                                    cTile[r * ldc + j] = addToC ? cTile[r * ldc + j] + tile[r * nr + j]
                                                                : tile[r * nr + j]
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
