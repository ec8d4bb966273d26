// vanish-bench: benchmarks of the SeqModel kernels and of the training step. Usage: vanish-bench <subcommand>
//   gemm [--fastest]              GFLOP/s of the GEMM forms a recurrent layer and its decoder use, one thread
//                                  (median of 7 runs, or with --fastest the fastest of 15)
//   activations                   ns per element of bias + tanh and bias + sigmoid on a [32×H] block, at each
//                                  vector width this CPU has (fastest of 15)
//   step [H,L,B,T …]              training chars/s, tanh and relu, one thread, at the peers' configurations
//                                  (default: the five of issue 7)
import Foundation
import SeqKernels
import SeqProfile

/// GFLOP/s of C[m×n] += op(A)·op(B) with A stored [k×m] when `transA` and B stored [n×k] when `transB`.
func gemmGFLOPS(m: Int, n: Int, k: Int, transA: Bool = false, transB: Bool = false, fastest: Bool) -> Double {
    let a = Tensor([m * k]), b = Tensor([k * n]), c = Tensor([m * n])
    for i in 0..<a.count { a[i] = Float(i % 7) * 0.25 - 0.75 }
    for i in 0..<b.count { b[i] = Float(i % 5) * 0.25 - 0.5 }
    let seconds = secondsPerCall(repetitions: fastest ? 15 : 7, fastest: fastest) {
        gemm(m: m, n: n, k: k, a: a.data, lda: transA ? m : k, transA: transA,
             b: b.data, ldb: transB ? k : n, transB: transB, c: c.data, ldc: n, accumulate: true)
    }
    return 2 * Double(m * n * k) / seconds / 1e9
}

func benchGEMM(fastest: Bool) {
    func cell(_ x: Double) -> String { String(format: "%10.1f", x) }
    let statistic = fastest ? "fastest of 15 runs" : "median of 7"
    print("GEMM, GFLOP/s, one thread (\(statistic)). B = batch rows, K = N = layer width.")
    print("  NN  forward        Y[B×N]  = X[B×K]·W[K×N]")
    print("  TN  weight grad    dW[K×N] += X[B×K]ᵀ·dY[B×N]")
    print("  NT  input grad     dX[B×K] = dY[B×N]·W[K×N]ᵀ")
    print("GEMM kernel: \(KernelWidth.preferred.name) (NLP_VANISH_SIMD=avx2 keeps the 8-lane one)")
    print(String(format: "FMA peak of this core before: %.1f GFLOP/s", measuredFMAPeakGFLOPS()))
    print("     B     K=N        NN        TN        NT")
    for batch in [1, 8, 32, 64] {
        for width in [128, 256, 512, 1024] {
            let nn = gemmGFLOPS(m: batch, n: width, k: width, fastest: fastest)
            let tn = gemmGFLOPS(m: width, n: width, k: batch, transA: true, fastest: fastest)
            let nt = gemmGFLOPS(m: batch, n: width, k: width, transB: true, fastest: fastest)
            print(String(format: "%6d %7d", batch, width) + cell(nn) + cell(tn) + cell(nt))
        }
    }
    print("TN over a whole window, dW[K×N] += X[R×K]ᵀ·dY[R×N], R = B·T = 2048")
    for width in [128, 256, 512, 1024] {
        let tn = gemmGFLOPS(m: width, n: width, k: 2048, transA: true, fastest: fastest)
        print(String(format: "%6d %7d", 2048, width) + String(repeating: " ", count: 10) + cell(tn))
    }
    print("The decoder over a whole window (R = 2048, V = 96): forward Y[R×V] = H[R×K]·W[K×V], backward")
    print("∂H[R×K] = ∂Y[R×V]·Wᵀ[V×K] (Wᵀ stored, so both NN)")
    print("             forward  backward")
    for width in [128, 256, 512, 1024] {
        let forward = gemmGFLOPS(m: 2048, n: 96, k: width, fastest: fastest)
        let backward = gemmGFLOPS(m: 2048, n: width, k: 96, fastest: fastest)
        print(String(format: "  K = %4d", width) + cell(forward) + cell(backward))
    }
    print(String(format: "FMA peak of this core after: %.1f GFLOP/s", measuredFMAPeakGFLOPS()))
}

func benchActivations() {
    print("bias + activation in place on a [32×H] block, ns per element, one thread (fastest of 15 runs)")
    let widths = KernelWidth.supported
    print("     H" + widths.map { $0.isWide ? "  tanh×16  sigmoid×16" : "   tanh×8   sigmoid×8" }.joined())
    for width in [128, 256, 512, 1024] {
        let x = Tensor([32 * width]), bias = Tensor([width])
        for i in 0..<bias.count { bias[i] = Float(i % 9) * 0.25 - 1 }
        var line = String(format: "%6d", width)
        for kernelWidth in widths {
            for activation in [Activation.tanh, .sigmoid] {
                for i in 0..<x.count { x[i] = Float(i % 64) * 0.125 - 4 }
                // Repeated calls feed on their own outputs; the code has no branch, so the values do not matter.
                let seconds = secondsPerCall(repetitions: 15, fastest: true) {
                    biasActivationForward(activation, x.data, rows: 32, cols: width, ld: width, bias: bias.data,
                                          width: kernelWidth)
                }
                line += String(format: "%10.3f", seconds / Double(x.count) * 1e9)
            }
            line += " "
        }
        print(line)
    }
}

/// The configurations the peers (PyTorch, oneDNN) are measured at.
let peerConfigurations = ["128,1,32,64", "256,1,32,64", "512,1,32,64", "256,3,32,64", "100,1,1,25"]

func benchStep(_ arguments: [String]) {
    print("Training step, chars/s: median of 5 windows of 1 s after warm-up (min–max), one thread")
    print(String(format: "FMA peak of this core: %.1f GFLOP/s", measuredFMAPeakGFLOPS())
          + " at the width of the \(KernelWidth.preferred.name) GEMM kernel")
    for label in arguments.isEmpty ? peerConfigurations : arguments {
        let n = label.split(separator: ",").compactMap { Int($0) }
        guard n.count == 4 else { print("bad configuration \(label): expected H,L,B,T"); exit(2) }
        var line = "  H,L,B,T = " + label.padding(toLength: 12, withPad: " ", startingAt: 0)
        for activation in [Activation.tanh, .relu] {
            let config = StepProfileConfig(hidden: n[0], layers: n[1], batch: n[2], steps: n[3],
                                           activation: activation)
            let r = measureTrainingThroughput(config)
            line += String(format: "  %@ %8.0f (%.0f–%.0f)", activation.rawValue, r.median, r.min, r.max)
        }
        print(line)
    }
}

switch CommandLine.arguments.dropFirst().first {
case "gemm":
    benchGEMM(fastest: CommandLine.arguments.dropFirst(2).contains("--fastest"))
case "activations":
    benchActivations()
case "step":
    benchStep(Array(CommandLine.arguments.dropFirst(2)))
default:
    print("usage: vanish-bench gemm [--fastest] | activations | step [H,L,B,T …]")
}
