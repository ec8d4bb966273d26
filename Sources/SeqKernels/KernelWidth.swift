import CFloatControl
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which vector width the kernels run at: eight lanes (AVX2 + FMA) everywhere, and where the CPU has AVX-512,
/// sixteen (module AVX512Kernels) for the GEMM micro-kernel (`gemmTile512`, on every 32 columns it can take),
/// the per-step product of a batch of one (`packedRowTimesPanels512`), the forward tanh and sigmoid
/// (`biasSquashingForward512`) and Adam (`adamUpdate512`).
///
/// On such a CPU a 16-lane instruction does twice the work: the FMA peak doubles. Both GEMM kernels compute
/// every element of C as the same chain of fused multiply-adds, and the activation and Adam kernels run the same
/// lane-wise code at both widths (`VectorMath.swift`, `AdamLanes.swift`), so which width ran never changes a
/// result (tests check it bit for bit).
/// Setting `NLP_VANISH_SIMD=avx2` in the environment keeps eight lanes, to compare the two.
public enum KernelWidth {
    /// Whether the kernels that have a 512-bit version use it. Decided once at start-up; tests switch it to
    /// cover both paths.
    nonisolated(unsafe) public static var wide: Bool = available && !disabledByEnvironment

    /// Whether this CPU (and OS) can run the 512-bit kernels.
    public static let available: Bool = nv_cpu_has_avx512() != 0

    private static var disabledByEnvironment: Bool {
        guard let value = getenv("NLP_VANISH_SIMD") else { return false }
        return String(cString: value).lowercased() == "avx2"
    }

    /// A short name for reports: "avx512" or "avx2".
    public static var name: String { wide ? "avx512" : "avx2" }
}
