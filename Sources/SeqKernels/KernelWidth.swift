import CFloatControl
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which vector width the kernels run at: eight lanes (AVX2 + FMA) everywhere, and where the CPU has AVX-512,
/// sixteen (module AVX512Kernels) for the GEMM micro-kernel (`gemmTile512`, on every 32 columns it can take),
/// the per-step product of a batch of one (`packedRowTimesPanels512`), the forward tanh and sigmoid
/// (`biasSquashingForward512`), the LSTM's and GRU's forward step (`lstmForwardPointwise512`,
/// `gruForwardPointwise512`) and Adam (`adamUpdate512`).
///
/// On such a CPU a 16-lane instruction does twice the work: the FMA peak doubles. Both GEMM kernels compute
/// every element of C as the same chain of fused multiply-adds, and the activation, gated-cell and Adam kernels run
/// the same lane-wise code at both widths (`VectorMath.swift`, `GatedCellLanes.swift`, `AdamLanes.swift`), so which
/// width ran never changes a result (tests check it bit for bit).
/// Setting `NLP_VANISH_SIMD=avx2` in the environment keeps eight lanes, to compare the two.
///
/// The kernels that have both take the width as an argument (`width:`, by default `preferred`), so a test or a
/// benchmark runs a given width without changing what any other caller runs.
public enum KernelWidth: Sendable, Equatable {
    /// AVX2 + FMA: every x86-64-v3 CPU.
    case eightLanes
    /// AVX-512, where the CPU has it.
    case sixteenLanes

    /// The width every caller gets unless it asks for another: sixteen lanes where the CPU has them and the
    /// environment does not say otherwise. Decided once, at first use.
    public static let preferred: KernelWidth = available && !disabledByEnvironment ? .sixteenLanes : .eightLanes

    /// Every width this CPU can run, narrowest first.
    public static let supported: [KernelWidth] = available ? [.eightLanes, .sixteenLanes] : [.eightLanes]

    /// Whether this CPU (and OS) can run the 512-bit kernels.
    public static let available: Bool = nv_cpu_has_avx512() != 0

    private static var disabledByEnvironment: Bool {
        guard let value = getenv("NLP_VANISH_SIMD") else { return false }
        return String(cString: value).lowercased() == "avx2"
    }

    /// Whether this is the 512-bit width.
    public var isWide: Bool { self == .sixteenLanes }

    /// A short name for reports: "avx512" or "avx2".
    public var name: String { isWide ? "avx512" : "avx2" }
}
