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
    var i0 = 0
    if transA {
        // A step's six values are adjacent in a stored row, and the stored rows are the steps: walk them in
        // order, dealing each row's values out to every full panel (a 16- and an 8-byte copy each). Panel by
        // panel instead, each step would touch a new row lda apart, a pattern the prefetchers do not follow.
        let fullPanels = rows / mr
        for p in 0..<depth {
            let row = UnsafeRawPointer(a + p &* lda)
            for q in 0..<fullPanels {
                let target = UnsafeMutableRawPointer(dst + (q &* depth &+ p) &* mr)
                let source = row + q &* mr &* MemoryLayout<Float>.stride
                target.storeBytes(of: source.loadUnaligned(as: SIMD4<Float>.self), as: SIMD4<Float>.self)
                target.storeBytes(of: source.loadUnaligned(fromByteOffset: 16, as: SIMD2<Float>.self),
                                  toByteOffset: 16, as: SIMD2<Float>.self)
            }
        }
        i0 = fullPanels * mr
    }
    var out = dst + i0 * depth
    while i0 < rows {
        let valid = min(mr, rows - i0)
        if valid == mr && !transA {
            // Six rows walked side by side: a 6 × depth transpose.
            let r0 = a + i0 &* lda, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda
            for p in 0..<depth {
                out[0] = r0[p]; out[1] = r1[p]; out[2] = r2[p]; out[3] = r3[p]; out[4] = r4[p]; out[5] = r5[p]
                out += mr
            }
        } else {
            packPanel(a + i0 &* (transA ? 1 : lda), width: mr, valid: valid, across: transA ? 1 : lda,
                      along: transA ? lda : 1, depth: depth, into: out)
            out += mr * depth
        }
        i0 += mr
    }
}

/// Packs op(B)[depth × cols] into panels of `GEMMTile.cols` (16) columns. Panel q occupies `16 · depth` floats
/// starting at `dst + 16q · depth`, and step p of it holds B(p, 16q…16q+15); columns past `cols` are zero.
/// op(B)(p, j) is `b[p·ldb + j]`, or `b[j·ldb + p]` when `transB`.
func packB(_ b: UnsafePointer<Float>, ldb: Int, transB: Bool, depth: Int, cols: Int,
           into dst: UnsafeMutablePointer<Float>) {
    let nr = GEMMTile.cols
    var j0 = 0
    if !transB {
        // Row by row through B, dealing each row's 16-column runs out to the full panels: B is read in the
        // order it is stored (see `packA` for why that matters).
        let fullPanels = cols / nr
        for p in 0..<depth {
            let row = b + p &* ldb
            for q in 0..<fullPanels {
                let target = dst + (q &* depth &+ p) &* nr
                target.storeVector(row.vector(at: q &* nr), at: 0)
                target.storeVector(row.vector(at: q &* nr &+ 8), at: 8)
            }
        }
        j0 = fullPanels * nr
    }
    while j0 < cols {
        packPanel(b + j0 &* (transB ? ldb : 1), width: nr, valid: min(nr, cols - j0), across: transB ? ldb : 1,
                  along: transB ? 1 : ldb, depth: depth, into: dst + j0 * depth)
        j0 += nr
    }
}

/// One panel, element by element: step p of it (`width` floats from `dst + p·width`) holds
/// `first[i·across + p·along]` for i < `valid` and zero past it. The general case of both packings — a ragged
/// edge, or an orientation whose values are not adjacent in memory.
private func packPanel(_ first: UnsafePointer<Float>, width: Int, valid: Int, across: Int, along: Int, depth: Int,
                       into dst: UnsafeMutablePointer<Float>) {
    var out = dst
    for p in 0..<depth {
        let step = first + p &* along
        for i in 0..<width { out[i] = i < valid ? step[i &* across] : 0 }
        out += width
    }
}
