/// Copies of A and B blocks laid out in the order the micro-kernel reads them.
///
/// Packing turns every operand access of the inner loop into a unit-stride walk through a buffer that stays
/// in cache for the whole block, whatever the leading dimension or transposition of the caller's matrix.
/// Ragged edges are padded with zeros, so the micro-kernel always computes a full tile.

/// Packs op(A)[rows × depth] into panels of `GEMMTile.rows` (6) rows. Panel q (rows 6q…6q+5) occupies
/// `6 · depth` floats starting at `dst + 6q · depth`, and step p of it holds A(6q…6q+5, p); rows past `rows`
/// are zero.
/// op(A)(i, p) is `a[i·lda + p]`, or `a[p·lda + i]` when `transA`.
func packA(_ a: UnsafePointer<Float>, lda: Int, transA: Bool, rows: Int, depth: Int,
           into dst: UnsafeMutablePointer<Float>) {
    let mr = GEMMTile.rows
    var out = dst
    for i0 in stride(from: 0, to: rows, by: mr) {
        let valid = min(mr, rows - i0)
        if valid == mr && transA {
            // A step's six values are adjacent in a stored row: a 16-byte and an 8-byte copy per step.
            var step = UnsafeRawPointer(a + i0)
            for _ in 0..<depth {
                let target = UnsafeMutableRawPointer(out)
                target.storeBytes(of: step.loadUnaligned(as: SIMD4<Float>.self), as: SIMD4<Float>.self)
                target.storeBytes(of: step.loadUnaligned(fromByteOffset: 16, as: SIMD2<Float>.self),
                                  toByteOffset: 16, as: SIMD2<Float>.self)
                step += lda &* MemoryLayout<Float>.stride
                out += mr
            }
        } else if valid == mr {
            // Six rows walked side by side: a 6 × depth transpose.
            let r0 = a + i0 &* lda, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda
            for p in 0..<depth {
                out[0] = r0[p]; out[1] = r1[p]; out[2] = r2[p]; out[3] = r3[p]; out[4] = r4[p]; out[5] = r5[p]
                out += mr
            }
        } else {
            let rowStride = transA ? 1 : lda, stepStride = transA ? lda : 1
            let first = a + i0 &* rowStride
            for p in 0..<depth {
                let step = first + p &* stepStride
                for r in 0..<mr { out[r] = r < valid ? step[r &* rowStride] : 0 }
                out += mr
            }
        }
    }
}

/// Packs op(B)[depth × cols] into panels of `GEMMTile.cols` (16) columns. Panel q occupies `16 · depth` floats
/// starting at `dst + 16q · depth`, and step p of it holds B(p, 16q…16q+15); columns past `cols` are zero.
/// op(B)(p, j) is `b[p·ldb + j]`, or `b[j·ldb + p]` when `transB`.
func packB(_ b: UnsafePointer<Float>, ldb: Int, transB: Bool, depth: Int, cols: Int,
           into dst: UnsafeMutablePointer<Float>) {
    let nr = GEMMTile.cols
    var out = dst
    for j0 in stride(from: 0, to: cols, by: nr) {
        let valid = min(nr, cols - j0)
        if !transB && valid == nr {
            var row = b + j0
            for _ in 0..<depth {
                out.storeVector(row.vector(at: 0), at: 0)
                out.storeVector(row.vector(at: 8), at: 8)
                row += ldb
                out += nr
            }
        } else {
            let colStride = transB ? ldb : 1, stepStride = transB ? 1 : ldb
            let first = b + j0 &* colStride
            for p in 0..<depth {
                let step = first + p &* stepStride
                for j in 0..<nr { out[j] = j < valid ? step[j &* colStride] : 0 }
                out += nr
            }
        }
    }
}
