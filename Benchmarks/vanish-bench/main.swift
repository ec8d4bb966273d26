// vanish-bench: micro-benchmarks of the SeqModel kernels, one thread. Usage: vanish-bench <subcommand>
//   gemm   GFLOP/s of the GEMM forms a recurrent layer uses
import Foundation
import SeqModel

/// Seconds per call of `body`: the median of `repetitions` timed runs, each long enough (≥ 20 ms) for the
/// clock's resolution not to matter, after the untimed runs that choose that length (the warm-up).
func secondsPerCall(repetitions: Int = 7, _ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
    var calls = 1
    while true {
        let elapsed = seconds(clock.measure { for _ in 0..<calls { body() } })
        if elapsed >= 0.02 { break }
        calls *= elapsed < 0.002 ? 10 : 2
    }
    let times = (0..<repetitions).map { _ in
        seconds(clock.measure { for _ in 0..<calls { body() } }) / Double(calls)
    }.sorted()
    return times[repetitions / 2]
}

/// The FMA throughput this core gives right now (ten independent 8-lane chains, registers only), timed like
/// the kernels: on a machine shared with other work, the yardstick the kernels' figures are to be read against.
func fmaPeakGFLOPS() -> Double {
    var acc = (0..<10).map { SIMD8<Float>(repeating: Float($0)) }
    let factor = SIMD8<Float>(repeating: 0.999_999), iterations = 1_000_000
    let seconds = secondsPerCall {
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

/// GFLOP/s of C[m×n] += op(A)·op(B) with A stored [k×m] when `transA` and B stored [n×k] when `transB`.
func gemmGFLOPS(m: Int, n: Int, k: Int, transA: Bool = false, transB: Bool = false) -> Double {
    let a = Tensor([m * k]), b = Tensor([k * n]), c = Tensor([m * n])
    for i in 0..<a.count { a[i] = Float(i % 7) * 0.25 - 0.75 }
    for i in 0..<b.count { b[i] = Float(i % 5) * 0.25 - 0.5 }
    let seconds = secondsPerCall {
        gemm(m: m, n: n, k: k, a: a.data, lda: transA ? m : k, transA: transA,
             b: b.data, ldb: transB ? k : n, transB: transB, c: c.data, ldc: n, accumulate: true)
    }
    return 2 * Double(m * n * k) / seconds / 1e9
}

func benchGEMM() {
    func cell(_ x: Double) -> String { String(format: "%10.1f", x) }
    print("GEMM, GFLOP/s, one thread (median of 7). B = batch rows, K = N = layer width.")
    print("  NN  forward        Y[B×N]  = X[B×K]·W[K×N]")
    print("  TN  weight grad    dW[K×N] += X[B×K]ᵀ·dY[B×N]")
    print("  NT  input grad     dX[B×K] = dY[B×N]·W[K×N]ᵀ")
    print(String(format: "FMA peak of this core before: %.1f GFLOP/s", fmaPeakGFLOPS()))
    print("     B     K=N        NN        TN        NT")
    for batch in [1, 8, 32, 64] {
        for width in [128, 256, 512, 1024] {
            let nn = gemmGFLOPS(m: batch, n: width, k: width)
            let tn = gemmGFLOPS(m: width, n: width, k: batch, transA: true)
            let nt = gemmGFLOPS(m: batch, n: width, k: width, transB: true)
            print(String(format: "%6d %7d", batch, width) + cell(nn) + cell(tn) + cell(nt))
        }
    }
    print("TN over a whole window, dW[K×N] += X[R×K]ᵀ·dY[R×N], R = B·T = 2048")
    for width in [128, 256, 512, 1024] {
        let tn = gemmGFLOPS(m: width, n: width, k: 2048, transA: true)
        print(String(format: "%6d %7d", 2048, width) + String(repeating: " ", count: 10) + cell(tn))
    }
    print(String(format: "FMA peak of this core after: %.1f GFLOP/s", fmaPeakGFLOPS()))
}

switch CommandLine.arguments.dropFirst().first {
case "gemm":
    benchGEMM()
default:
    print("usage: vanish-bench gemm")
}
