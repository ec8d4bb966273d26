/// The GEMM micro-kernel on 512-bit vectors, for CPUs with AVX-512: this module is built for x86-64-v4 and is
/// called only after SeqKernels has checked the CPU (`KernelWidth`), so nothing here runs on a machine without it.
///
/// A tile is `rows` × 32 columns of C: two 16-column B panels side by side, one zmm register per row and
/// panel, so 8 rows keep 16 accumulators in flight (the FMA's 4-cycle latency on two pipes needs 8) and use
/// 19 of the 32 registers. Per step it loads the two panels' rows and broadcasts A(0…rows−1, p): 10 loads
/// for 16 FMAs of 16 lanes. Each element of C is one chain of fused multiply-adds over p, in the same order
/// as the 8-lane kernel's, so both give bit-identical results.

/// C[rows × 32] = (addToC ? C : 0) + Σₚ A(:, p) ⊗ [B₀(p, :) B₁(p, :)] for p in 0..<depth, with `rows` = 8, 6
/// or 4. A(r, p) is `a[r·aRowStride + p·aStepStride]`; B₀ and B₁ are two 16-column panels whose step p
/// starts at `b0 + p·ldb` and `b1 + p·ldb`; C's rows are `ldc` apart.
public func gemmTile512(rows: Int, depth: Int, a: UnsafePointer<Float>, aRowStride: Int, aStepStride: Int,
                        b0: UnsafePointer<Float>, b1: UnsafePointer<Float>, ldb: Int,
                        c: UnsafeMutablePointer<Float>, ldc: Int, addToC: Bool) {
    switch rows {
    case 8: kernel512(rows: 8, depth: depth, a: a, aRowStride: aRowStride, aStepStride: aStepStride,
                      b0: b0, b1: b1, ldb: ldb, c: c, ldc: ldc, addToC: addToC)
    case 6: kernel512(rows: 6, depth: depth, a: a, aRowStride: aRowStride, aStepStride: aStepStride,
                      b0: b0, b1: b1, ldb: ldb, c: c, ldc: ldc, addToC: addToC)
    default:
        precondition(rows == 4, "gemmTile512: rows must be 8, 6 or 4")
        kernel512(rows: 4, depth: depth, a: a, aRowStride: aRowStride, aStepStride: aStepStride,
                  b0: b0, b1: b1, ldb: ldb, c: c, ldc: ldc, addToC: addToC)
    }
}

@inline(__always)
private func kernel512(rows: Int, depth: Int, a: UnsafePointer<Float>, aRowStride: Int, aStepStride: Int,
                       b0: UnsafePointer<Float>, b1: UnsafePointer<Float>, ldb: Int,
                       c: UnsafeMutablePointer<Float>, ldc: Int, addToC: Bool) {
    var c00 = SIMD16<Float>(), c01 = SIMD16<Float>(), c10 = SIMD16<Float>(), c11 = SIMD16<Float>()
    var c20 = SIMD16<Float>(), c21 = SIMD16<Float>(), c30 = SIMD16<Float>(), c31 = SIMD16<Float>()
    var c40 = SIMD16<Float>(), c41 = SIMD16<Float>(), c50 = SIMD16<Float>(), c51 = SIMD16<Float>()
    var c60 = SIMD16<Float>(), c61 = SIMD16<Float>(), c70 = SIMD16<Float>(), c71 = SIMD16<Float>()
    let r = aRowStride
    var a = a, p0 = b0, p1 = b1
    for _ in 0..<depth {
        let x0 = load(p0), x1 = load(p1)
        let a0 = SIMD16<Float>(repeating: a[0]); c00 = c00.addingProduct(a0, x0); c01 = c01.addingProduct(a0, x1)
        let a1 = SIMD16<Float>(repeating: a[r]); c10 = c10.addingProduct(a1, x0); c11 = c11.addingProduct(a1, x1)
        let a2 = SIMD16<Float>(repeating: a[2 &* r]); c20 = c20.addingProduct(a2, x0); c21 = c21.addingProduct(a2, x1)
        let a3 = SIMD16<Float>(repeating: a[3 &* r]); c30 = c30.addingProduct(a3, x0); c31 = c31.addingProduct(a3, x1)
        if rows > 4 {
            let a4 = SIMD16<Float>(repeating: a[4 &* r]); c40 = c40.addingProduct(a4, x0); c41 = c41.addingProduct(a4, x1)
            let a5 = SIMD16<Float>(repeating: a[5 &* r]); c50 = c50.addingProduct(a5, x0); c51 = c51.addingProduct(a5, x1)
        }
        if rows > 6 {
            let a6 = SIMD16<Float>(repeating: a[6 &* r]); c60 = c60.addingProduct(a6, x0); c61 = c61.addingProduct(a6, x1)
            let a7 = SIMD16<Float>(repeating: a[7 &* r]); c70 = c70.addingProduct(a7, x0); c71 = c71.addingProduct(a7, x1)
        }
        a += aStepStride
        p0 += ldb
        p1 += ldb
    }
    store(c00, c01, to: c, addTo: addToC)
    store(c10, c11, to: c + ldc, addTo: addToC)
    store(c20, c21, to: c + 2 * ldc, addTo: addToC)
    store(c30, c31, to: c + 3 * ldc, addTo: addToC)
    if rows > 4 {
        store(c40, c41, to: c + 4 * ldc, addTo: addToC)
        store(c50, c51, to: c + 5 * ldc, addTo: addToC)
    }
    if rows > 6 {
        store(c60, c61, to: c + 6 * ldc, addTo: addToC)
        store(c70, c71, to: c + 7 * ldc, addTo: addToC)
    }
}

@inline(__always)
private func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

/// row[0..<32] = [v0 v1], or += [v0 v1].
@inline(__always)
private func store(_ v0: SIMD16<Float>, _ v1: SIMD16<Float>, to row: UnsafeMutablePointer<Float>, addTo: Bool) {
    let low = UnsafeMutableRawPointer(row), high = UnsafeMutableRawPointer(row + 16)
    low.storeBytes(of: addTo ? UnsafeRawPointer(row).loadUnaligned(as: SIMD16<Float>.self) + v0 : v0,
                   as: SIMD16<Float>.self)
    high.storeBytes(of: addTo ? UnsafeRawPointer(row + 16).loadUnaligned(as: SIMD16<Float>.self) + v1 : v1,
                    as: SIMD16<Float>.self)
}
