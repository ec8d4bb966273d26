/// The innermost loop of `gemm`: a 6 × 16 block of C held in twelve ymm registers (4 × 16, eight, for the
/// rows of an A read in place that 6-row tiles leave; see `inPlaceRowSplit`).
///
/// Per step p the kernel loads one row of the B panel (16 floats, two vectors), broadcasts A(0…5, p) one at a
/// time and issues two fused multiply-adds per broadcast: 192 flops for 8 loads. The FMA has a latency of 4
/// cycles and two pipes, so at least 8 independent accumulators are needed to keep both busy; 12 leave slack
/// for the loads, and 12 + 2 + 1 = 15 of the 16 ymm registers leave one spare. (A 4 × 24 tile also has 12
/// accumulators but needs all 16 registers, and LLVM spilled one accumulator of it to the stack, putting a
/// store-to-load round trip into its chain.) Sixteen columns divide every width the
/// model uses (V = 96, H = 64…1024), so no B panel is padded; six rows waste a ninth of the last tile at
/// m = 32, but the packed path runs with m = H or m = T·B, where the waste is a fraction of a percent.
enum GEMMTile {
    /// Rows of C per micro-kernel call on a packed A panel (values of A broadcast per step).
    static let rows = 6
    /// Columns of C per micro-kernel call (two SIMD8 vectors).
    static let cols = 16
}

/// C[rows × 8·vectors] = (addToC ? C : 0) + Σₚ A(:, p) ⊗ B(p, :) for p in 0..<depth, with `rows` = 6 or 4 and
/// `vectors` = 2 (16 columns) or 1 (an 8-column edge). Call it through `gemmTile`, which makes both literals.
///
/// - `a`: A(r, p) is `a[r·aRowStride + p·aStepStride]`: a packed panel (1, 6; see `packA`) or, for a row-major
///   A read in place, (lda, 1). The broadcast loads cost the same either way.
/// - `b`: a B panel whose step p starts at `b + p·ldb` and holds 8·vectors consecutive floats; either a packed
///   panel (`ldb` = 16) or, for a row-major B that is not worth packing, B itself.
@inline(__always)
func gemmMicroKernel(rows: Int, vectors: Int, depth: Int, a: UnsafePointer<Float>, aRowStride: Int,
                     aStepStride: Int, b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                     addToC: Bool) {
    var c00 = SIMD8<Float>(), c01 = SIMD8<Float>()
    var c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
    var c20 = SIMD8<Float>(), c21 = SIMD8<Float>()
    var c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
    var c40 = SIMD8<Float>(), c41 = SIMD8<Float>()
    var c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
    let r1 = aRowStride, r2 = 2 &* aRowStride, r3 = 3 &* aRowStride, r4 = 4 &* aRowStride, r5 = 5 &* aRowStride
    var a = a, b = b
    for _ in 0..<depth {
        let b0 = b.vector(at: 0), b1 = vectors > 1 ? b.vector(at: 8) : b0
        let a0 = SIMD8<Float>(repeating: a[0])
        c00 = multiplyAdd(a0, b0, c00)
        if vectors > 1 { c01 = multiplyAdd(a0, b1, c01) }
        let a1 = SIMD8<Float>(repeating: a[r1])
        c10 = multiplyAdd(a1, b0, c10)
        if vectors > 1 { c11 = multiplyAdd(a1, b1, c11) }
        let a2 = SIMD8<Float>(repeating: a[r2])
        c20 = multiplyAdd(a2, b0, c20)
        if vectors > 1 { c21 = multiplyAdd(a2, b1, c21) }
        let a3 = SIMD8<Float>(repeating: a[r3])
        c30 = multiplyAdd(a3, b0, c30)
        if vectors > 1 { c31 = multiplyAdd(a3, b1, c31) }
        if rows > 4 {
            let a4 = SIMD8<Float>(repeating: a[r4])
            c40 = multiplyAdd(a4, b0, c40)
            if vectors > 1 { c41 = multiplyAdd(a4, b1, c41) }
            let a5 = SIMD8<Float>(repeating: a[r5])
            c50 = multiplyAdd(a5, b0, c50)
            if vectors > 1 { c51 = multiplyAdd(a5, b1, c51) }
        }
        a += aStepStride
        b += ldb
    }
    storeRow(vectors, c00, c01, to: c, addTo: addToC)
    storeRow(vectors, c10, c11, to: c + ldc, addTo: addToC)
    storeRow(vectors, c20, c21, to: c + 2 * ldc, addTo: addToC)
    storeRow(vectors, c30, c31, to: c + 3 * ldc, addTo: addToC)
    if rows > 4 {
        storeRow(vectors, c40, c41, to: c + 4 * ldc, addTo: addToC)
        storeRow(vectors, c50, c51, to: c + 5 * ldc, addTo: addToC)
    }
}

/// `gemmMicroKernel` with `rows` (6 or 4) and `vectors` (2 or 1) turned into literals, so that each shape gets
/// its own loop with only the accumulators it uses.
@inline(__always)
func gemmTile(rows: Int, vectors: Int, depth: Int, a: UnsafePointer<Float>, aRowStride: Int, aStepStride: Int,
              b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int, addToC: Bool) {
    switch (rows, vectors) {
    case (6, 2): gemmMicroKernel(rows: 6, vectors: 2, depth: depth, a: a, aRowStride: aRowStride,
                                 aStepStride: aStepStride, b: b, ldb: ldb, c: c, ldc: ldc, addToC: addToC)
    case (6, _): gemmMicroKernel(rows: 6, vectors: 1, depth: depth, a: a, aRowStride: aRowStride,
                                 aStepStride: aStepStride, b: b, ldb: ldb, c: c, ldc: ldc, addToC: addToC)
    case (_, 2): gemmMicroKernel(rows: 4, vectors: 2, depth: depth, a: a, aRowStride: aRowStride,
                                 aStepStride: aStepStride, b: b, ldb: ldb, c: c, ldc: ldc, addToC: addToC)
    default: gemmMicroKernel(rows: 4, vectors: 1, depth: depth, a: a, aRowStride: aRowStride,
                             aStepStride: aStepStride, b: b, ldb: ldb, c: c, ldc: ldc, addToC: addToC)
    }
}

@inline(__always)
private func storeRow(_ vectors: Int, _ v0: SIMD8<Float>, _ v1: SIMD8<Float>,
                      to row: UnsafeMutablePointer<Float>, addTo: Bool) {
    store(v0, to: row, addTo: addTo)
    if vectors > 1 { store(v1, to: row + 8, addTo: addTo) }
}

/// dst[0..<8] = v, or dst[0..<8] += v.
@inline(__always)
func store(_ v: SIMD8<Float>, to dst: UnsafeMutablePointer<Float>, addTo: Bool) {
    dst.storeVector(addTo ? dst.vector(at: 0) + v : v, at: 0)
}
