import SeqKernels
/// The largest singular value σ_max of a rows×cols matrix, by power iteration on AᵀA (in Double).
///
/// For W_hh it bounds how much one step can stretch a gradient: ‖∂h_t/∂h_{t−1}‖ ≤ σ_max · max|act'|, so
/// σ_max · max|act'| < 1 forces the gradient to vanish geometrically (Pascanu et al. 2013). The start vector is
/// fixed (seeded), so the figure is reproducible; iteration stops when σ changes by less than `tolerance`.
public func largestSingularValue(_ a: Tensor, rows: Int, cols: Int,
                                 iterations: Int = 500, tolerance: Double = 1e-9) -> Double {
    var rng = Xoshiro256StarStar(seed: 0x5EED)
    var v = (0..<cols).map { _ in rng.normal() }
    var u = [Double](repeating: 0, count: rows)
    var sigma = 0.0
    for _ in 0..<iterations {
        let nv = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard nv > 0 else { return 0 }
        for j in 0..<cols { v[j] /= nv }
        for i in 0..<rows {                                   // u = A v
            var s = 0.0
            for j in 0..<cols { s += Double(a[i * cols + j]) * v[j] }
            u[i] = s
        }
        let next = u.reduce(0) { $0 + $1 * $1 }.squareRoot()   // ‖A v‖ → σ_max
        for j in 0..<cols { v[j] = 0 }
        for i in 0..<rows {                                   // v = Aᵀ u
            for j in 0..<cols { v[j] += Double(a[i * cols + j]) * u[i] }
        }
        if abs(next - sigma) <= tolerance * max(next, 1e-30) { return next }
        sigma = next
    }
    return sigma
}
