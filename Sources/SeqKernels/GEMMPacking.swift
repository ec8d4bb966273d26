/// Copies of A and B blocks laid out in the order the micro-kernel reads them.
///
/// Packing turns every operand access of the inner loop into a unit-stride walk through a buffer that stays
/// in cache for the whole block, whatever the leading dimension or transposition of the caller's matrix.
/// Ragged edges are padded with zeros, so the micro-kernel always computes a full tile.

/// Steps copied into one panel before moving to the next, when a step's values are adjacent in the source (A
/// transposed, B not). Step by step across all panels, consecutive stores would land a panel apart — 8 KiB for
/// B's 16-column panels at depth 128, the same L1 set every time; one panel at a time over the whole depth,
/// each step would read a new source row, a stride the prefetchers follow poorly. Blocks of 8 steps write
/// 192–512 contiguous bytes per panel.
let packingStepBlock = 8

/// The same for A's 8-row panels (the 512-bit kernel's), whose step is 32 bytes, half a line: two steps from
/// adjacent source rows go out as one 64-byte store, a whole line of the panel, in blocks of 16 steps. Half a
/// line per store, packing cost far more than a plain copy of the same bytes.
let eightRowStepBlock = 16

/// Packs op(A)[rows × depth] into panels of `panelRows` rows: 6 (`GEMMTile.rows`, the 8-lane kernel's tile) or
/// 8 (the 512-bit kernel's). Panel q (rows mr·q…mr·q + mr − 1) occupies `mr · depth` floats starting at
/// `dst + mr·q · depth`, and step p of it holds those rows' A(·, p); rows past `rows` are zero.
/// op(A)(i, p) is `a[i·lda + p]`, or `a[p·lda + i]` when `transA`.
func packA(_ a: UnsafePointer<Float>, lda: Int, transA: Bool, panelRows mr: Int, rows: Int, depth: Int,
           into dst: UnsafeMutablePointer<Float>) {
    precondition(mr == 6 || mr == 8, "packA: panels of 6 or 8 rows")
    var i0 = 0
    if transA {
        // A step's values are adjacent in a stored row, and the stored rows are the steps: for 8-row panels two
        // 32-byte runs make one 64-byte store (`eightRowStepBlock`), for 6-row ones a step is a 16- and an 8-byte
        // copy (`packingStepBlock`).
        let fullPanels = rows / mr, rowBytes = lda &* MemoryLayout<Float>.stride
        let stepBlock = mr == 8 ? eightRowStepBlock : packingStepBlock
        for p0 in stride(from: 0, to: depth, by: stepBlock) {
            let steps = min(stepBlock, depth - p0)
            for q in 0..<fullPanels {
                var target = UnsafeMutableRawPointer(dst + (q &* depth &+ p0) &* mr)
                var source = UnsafeRawPointer(a + (p0 &* lda &+ q &* mr))
                if mr == 8 {
                    for _ in 0..<steps / 2 {
                        let pair = SIMD16(lowHalf: source.loadUnaligned(as: SIMD8<Float>.self),
                                          highHalf: (source + rowBytes).loadUnaligned(as: SIMD8<Float>.self))
                        target.storeBytes(of: pair, as: SIMD16<Float>.self)
                        target += 64
                        source += 2 &* rowBytes
                    }
                    if steps % 2 == 1 {
                        target.storeBytes(of: source.loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
                    }
                } else {
                    for _ in 0..<steps {
                        target.storeBytes(of: source.loadUnaligned(as: SIMD4<Float>.self), as: SIMD4<Float>.self)
                        target.storeBytes(of: source.loadUnaligned(fromByteOffset: 16, as: SIMD2<Float>.self),
                                          toByteOffset: 16, as: SIMD2<Float>.self)
                        target += 24
                        source += rowBytes
                    }
                }
            }
        }
        i0 = fullPanels * mr
    }
    var out = dst + i0 * depth
    while i0 < rows {
        let valid = min(mr, rows - i0)
        if valid == 6 && mr == 6 && !transA {
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
        // A step of a panel is a 16-float run of a stored row, in blocks of `packingStepBlock` steps.
        let fullPanels = cols / nr
        for p0 in stride(from: 0, to: depth, by: packingStepBlock) {
            let steps = min(packingStepBlock, depth - p0)
            for q in 0..<fullPanels {
                var target = dst + (q &* depth &+ p0) &* nr
                var source = b + (p0 &* ldb &+ q &* nr)
                for _ in 0..<steps {
                    target.storeVector(source.vector(at: 0), at: 0)
                    target.storeVector(source.vector(at: 8), at: 8)
                    target += nr
                    source += ldb
                }
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
