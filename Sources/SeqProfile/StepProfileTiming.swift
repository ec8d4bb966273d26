import AVX512Kernels
import SeqKernels

/// The two yardsticks every performance figure of `nlp-vanish profile` and `vanish-bench` is read against:
/// a robust per-call time, and the FMA peak of the core the measurement runs on.

/// Seconds per call of `body`: the median of `repetitions` timed runs, each long enough (≥ 20 ms) for the
/// clock's resolution not to matter, after the untimed runs that choose that length (the warm-up). With
/// `fastest`, the fastest run instead: on a shared host, whose neighbours slow some runs by a third or more,
/// the best estimate of what the code itself costs.
public func secondsPerCall(repetitions: Int = 7, fastest: Bool = false, _ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    var calls = 1
    while true {
        let elapsed = clock.measure { for _ in 0..<calls { body() } }.seconds
        if elapsed >= 0.02 { break }
        calls *= elapsed < 0.002 ? 10 : 2
    }
    let times = (0..<repetitions).map { _ in
        clock.measure { for _ in 0..<calls { body() } }.seconds / Double(calls)
    }.sorted()
    return fastest ? times[0] : times[repetitions / 2]
}

/// The FMA throughput this core gives, in GFLOP/s, with the vector width the GEMMs use (`KernelWidth.preferred`:
/// 16 lanes, else 8): ten independent chains in registers (enough to cover the 4-cycle latency on both FMA
/// pipes), the fastest of seven runs. Measured rather than assumed, because the clock of a shared virtual
/// machine is not the one /proc/cpuinfo shows; the fastest run, because another tenant on the sibling vCPU
/// lowers the others, and a peak a kernel can beat is no peak.
public func measuredFMAPeakGFLOPS() -> Double {
    if KernelWidth.preferred.isWide {
        let iterations = 1_000_000
        let seconds = secondsPerCall(fastest: true) { _ = fmaChains512(iterations: iterations) }
        return Double(iterations * 10 * 32) / seconds / 1e9
    }
    var acc = (0..<10).map { SIMD8<Float>(repeating: Float($0)) }
    let factor = SIMD8<Float>(repeating: 0.999_999), iterations = 1_000_000
    let seconds = secondsPerCall(fastest: true) {
        var (a0, a1, a2, a3, a4) = (acc[0], acc[1], acc[2], acc[3], acc[4])
        var (a5, a6, a7, a8, a9) = (acc[5], acc[6], acc[7], acc[8], acc[9])
        for _ in 0..<iterations {
            a0.addProduct(a0, factor); a1.addProduct(a1, factor); a2.addProduct(a2, factor)
            a3.addProduct(a3, factor); a4.addProduct(a4, factor); a5.addProduct(a5, factor)
            a6.addProduct(a6, factor); a7.addProduct(a7, factor); a8.addProduct(a8, factor)
            a9.addProduct(a9, factor)
        }
        acc = [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9]
    }
    return Double(iterations * 10 * 16) / seconds / 1e9
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
