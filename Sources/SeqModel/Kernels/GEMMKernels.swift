import CFloatControl
import GEMMAVX512
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which micro-kernel the GEMMs run: the 8-lane one (AVX2 + FMA, `gemmTile`) everywhere, and where the CPU has
/// AVX-512, the 16-lane one (`gemmTile512`, module GEMMAVX512) on every 32 columns it can take.
///
/// On such a CPU the 16-lane kernel does twice the work per instruction: the FMA peak doubles. Both kernels
/// compute every element of C as the same chain of fused multiply-adds, so which one ran never changes a
/// result (a test checks it bit for bit). Setting `NLP_VANISH_SIMD=avx2` in the environment keeps the 8-lane
/// kernel, to compare the two.
public enum GEMMKernels {
    /// Whether the GEMMs use the 512-bit kernel. Decided once at start-up; tests switch it to cover both paths.
    nonisolated(unsafe) public static var wide: Bool = available && !disabledByEnvironment

    /// Whether this CPU (and OS) can run the 512-bit kernel.
    public static let available: Bool = nv_cpu_has_avx512() != 0

    private static var disabledByEnvironment: Bool {
        guard let value = getenv("NLP_VANISH_SIMD") else { return false }
        return String(cString: value).lowercased() == "avx2"
    }

    /// A short name for reports: "avx512" or "avx2".
    public static var name: String { wide ? "avx512" : "avx2" }
}

/// C[m × 32] (+)= A·[B₀ B₁] for an A read in place and two 16-column panels whose steps are `ldb` apart:
/// 8-row tiles on the 512-bit kernel, the rows they leave through `inPlaceRowTiles` and, past those, the
/// vector-times-matrix loop, each panel on its own.
@inline(__always)
func inPlaceRowTilesWide(m: Int, depth: Int, a: UnsafePointer<Float>, lda: Int,
                         b0: UnsafePointer<Float>, b1: UnsafePointer<Float>, ldb: Int,
                         c: UnsafeMutablePointer<Float>, ldc: Int, addToC: Bool) {
    let rows8 = m / 8 * 8
    for i in stride(from: 0, to: rows8, by: 8) {
        gemmTile512(rows: 8, depth: depth, a: a + i * lda, aRowStride: lda, aStepStride: 1, b0: b0, b1: b1,
                    ldb: ldb, c: c + i * ldc, ldc: ldc, addToC: addToC)
    }
    let rest = m - rows8
    guard rest > 0 else { return }
    let a = a + rows8 * lda, c = c + rows8 * ldc
    for half in 0..<2 {
        let panel = half == 0 ? b0 : b1, column = 16 * half
        let tiled = inPlaceRowTiles(m: rest, vectors: 2, depth: depth, a: a, lda: lda, b: panel, ldb: ldb,
                                    c: c + column, ldc: ldc, addToC: addToC)
        for row in tiled..<rest {
            gemmSingleRow(n: 16, k: depth, x: a + row * lda, xStride: 1, b: panel, ldb: ldb,
                          c: c + row * ldc + column, addToC: addToC)
        }
    }
}
