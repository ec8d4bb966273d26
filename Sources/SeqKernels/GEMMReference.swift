/// The plain triple loop that `gemm` is tested against: same contract, no blocking, no SIMD, and every dot
/// product accumulated in Double, so its own rounding error is negligible next to the kernel's.
public func gemmReference(m: Int, n: Int, k: Int,
                          a: UnsafePointer<Float>, lda: Int, transA: Bool,
                          b: UnsafePointer<Float>, ldb: Int, transB: Bool,
                          c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    for i in 0..<m {
        for j in 0..<n {
            var sum = accumulate ? Double(c[i * ldc + j]) : 0
            for p in 0..<k {
                let aip = transA ? a[p * lda + i] : a[i * lda + p]
                let bpj = transB ? b[j * ldb + p] : b[p * ldb + j]
                sum += Double(aip) * Double(bpj)
            }
            c[i * ldc + j] = Float(sum)
        }
    }
}
