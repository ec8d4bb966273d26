/// dst[c][r] = src[r][c] for a rows×cols row-major `src`; `dst` is cols×rows.
///
/// The backward pass multiplies by Wᵀ; transposing W once per window (O(H²)) lets every per-step product use
/// the fast row-major GEMM form instead of a strided one. Blocked in 16×16 tiles so both sides stay in cache.
public func transpose(_ src: UnsafePointer<Float>, rows: Int, cols: Int, into dst: UnsafeMutablePointer<Float>) {
    let tile = 16
    var r0 = 0
    while r0 < rows {
        let r1 = min(r0 + tile, rows)
        var c0 = 0
        while c0 < cols {
            let c1 = min(c0 + tile, cols)
            for r in r0..<r1 {
                for c in c0..<c1 { dst[c &* rows &+ r] = src[r &* cols &+ c] }
            }
            c0 = c1
        }
        r0 = r1
    }
}
