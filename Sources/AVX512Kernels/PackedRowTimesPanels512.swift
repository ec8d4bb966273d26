/// c[0..<n] = (addToC ? c : 0) + x·B for one row x (`k` values) and a B packed into 16-column panels, step p of
/// panel q at `panels + q·panelStride + 16p`: the per-step product of a batch of one, SeqKernels'
/// `packedRowTimesPanels` on sixteen lanes.
///
/// Eight panels at a time, one zmm accumulator each: a 1-row product has no other rows to interleave, so the
/// accumulators are what hides the FMA's latency, and eight 16-lane chains keep both pipes busy where the 8-lane
/// loop's eight 8-lane ones kept them half busy (four panels a pass, H = 100 in two passes instead of one). The
/// last group (fewer than eight panels, the last maybe ragged, zero-padded by the packing) re-reads its last panel
/// for the missing ones and keeps what falls inside n. Each element is one chain over p from zero, the order of the
/// 8-lane loop and the tiles, so the bits are the same.
public func packedRowTimesPanels512(n: Int, k: Int, x: UnsafePointer<Float>, panels: UnsafePointer<Float>,
                                    panelStride: Int, c: UnsafeMutablePointer<Float>, addToC: Bool) {
    let panelCount = (n + 15) / 16
    for q in stride(from: 0, to: panelCount, by: 8) {
        let last = min(q + 7, panelCount - 1)
        func panel(_ i: Int) -> UnsafePointer<Float> { panels + min(q + i, last) * panelStride }
        var s0 = Lanes(), s1 = Lanes(), s2 = Lanes(), s3 = Lanes(), s4 = Lanes(), s5 = Lanes(), s6 = Lanes()
        var s7 = Lanes()
        let b0 = panel(0), b1 = panel(1), b2 = panel(2), b3 = panel(3)
        let b4 = panel(4), b5 = panel(5), b6 = panel(6), b7 = panel(7)
        var offset = 0
        for p in 0..<k {
            let xv = Lanes(repeating: x[p])
            s0 = multiplyAdd(xv, b0.vector(at: offset), s0); s1 = multiplyAdd(xv, b1.vector(at: offset), s1)
            s2 = multiplyAdd(xv, b2.vector(at: offset), s2); s3 = multiplyAdd(xv, b3.vector(at: offset), s3)
            s4 = multiplyAdd(xv, b4.vector(at: offset), s4); s5 = multiplyAdd(xv, b5.vector(at: offset), s5)
            s6 = multiplyAdd(xv, b6.vector(at: offset), s6); s7 = multiplyAdd(xv, b7.vector(at: offset), s7)
            offset &+= 16
        }
        var sums = (s0, s1, s2, s3, s4, s5, s6, s7)
        let columns = min(128, n - q * 16), out = c + q * 16
        withUnsafeBytes(of: &sums) { buffer in
            let values = buffer.bindMemory(to: Float.self).baseAddress!
            if addToC {
                for j in 0..<columns { out[j] += values[j] }
            } else {
                out.update(from: values, count: columns)
            }
        }
    }
}
