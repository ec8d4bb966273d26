import AVX512Kernels
import CFloatControl

/// The part of C[m × n] the 512-bit kernel computes with 8-row tiles on pairs of 16-column panels: the first
/// `rows` rows (a multiple of 8) and `columns` columns (a multiple of 32); (0, 0) when the kernel is off or
/// C is too small. Callers hand the rest — the columns past the pairs for those rows, and every column of the
/// rows below — to their 8-lane loops.
@inline(__always)
func wideRegion(m: Int, n: Int, width: KernelWidth) -> (rows: Int, columns: Int) {
    guard width.isWide, m >= 8, n >= 32 else { return (0, 0) }
    return (m / 8 * 8, n / 32 * 32)
}

/// The tiles of the wide region over one depth block, pairs of panels outer, so that a pair stays in L1 while
/// every 8-row tile passes it. Tile i (rows i…i+7) reads A(r, p) at `a[(i + r)·aRowStride + p·aStepStride]`;
/// the pair for columns j…j+31 starts at `b + (j / 32)·pairStride`, its second panel `secondPanel` floats on,
/// and a panel's steps are `ldb` apart.
///
/// When the tiles add to C, each tile's 8 × 32 block of C is prefetched before its loop, so that the load after
/// the loop finds it in L1: a recurrent layer's backward adds its per-step product into ∂L/∂h_{t−1}, written by
/// the layer above (or the decoder) long before and by then in L3, and without the prefetch every tile stalls.
/// It moves no result: the same sums in the same order.
@inline(__always)
func wideTiles(rows: Int, columns: Int, depth: Int, a: UnsafePointer<Float>, aRowStride: Int, aStepStride: Int,
               b: UnsafePointer<Float>, pairStride: Int, secondPanel: Int, ldb: Int,
               c: UnsafeMutablePointer<Float>, ldc: Int, addToC: Bool) {
    for j in stride(from: 0, to: columns, by: 32) {
        let panel = b + j / 32 * pairStride
        for i in stride(from: 0, to: rows, by: 8) {
            if addToC { prefetchWideTile(c + i * ldc + j, ldc: ldc) }
            gemmTile512(rows: 8, depth: depth, a: a + i * aRowStride, aRowStride: aRowStride,
                        aStepStride: aStepStride, b0: panel, b1: panel + secondPanel, ldb: ldb, c: c + i * ldc + j,
                        ldc: ldc, addToC: addToC)
        }
    }
}

/// Asks for the 8 × 32 block of C at `c` (rows `ldc` apart), sixteen lines, to be brought into L1, before a tile
/// that adds to it runs its loop: the loads after the loop then find it there, however far C had gone.
@inline(__always)
func prefetchWideTile(_ c: UnsafeMutablePointer<Float>, ldc: Int) {
    for r in 0..<8 { nv_prefetch(c + r * ldc); nv_prefetch(c + r * ldc + 16) }
}
