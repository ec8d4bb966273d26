import SeqKernels
import SeqModel
/// Each SIMD kernel of the training step against its scalar reference (the plain loops its tests compare with),
/// timed at the shapes the profiled configuration gives it.
public struct KernelSpeedup: Sendable, Codable {
    public var kernel: String
    public var shape: String
    public var simdMicroseconds: Double
    public var scalarMicroseconds: Double
    /// scalar / SIMD time.
    public var speedup: Double

    init(kernel: String, shape: String, simd: () -> Void, scalar: () -> Void) {
        self.kernel = kernel
        self.shape = shape
        simdMicroseconds = secondsPerCall(repetitions: 5, simd) * 1e6
        scalarMicroseconds = secondsPerCall(repetitions: 5, scalar) * 1e6
        speedup = scalarMicroseconds / simdMicroseconds
    }
}

/// The per-step kernels at `config`'s shapes. The weight-gradient GEMM uses K = 8·B rather than T·B, so that
/// its Double reference finishes in well under a second at H = 1024.
func measureKernelSpeedups(_ config: StepProfileConfig) -> [KernelSpeedup] {
    let (B, H, V) = (config.batch, config.hidden, config.vocabulary)
    let k = 8 * B
    let x = filled(B * H), w = filled(H * H), y = Tensor([B * H]), a = filled(k * H), g = filled(k * H)
    let dw = Tensor([H * H]), gw = filled(H * H), bias = filled(H), logits = filled(B * V), dlogits = Tensor([B * V])
    let m = Tensor([H * H]), v = Tensor([H * H]), targets = IndexBuffer(count: B)
    for i in 0..<B { targets[i] = Int32(i % V) }
    let act = config.activation
    return [
        KernelSpeedup(kernel: "recurrent GEMM", shape: "[\(B)×\(H)]·[\(H)×\(H)]", simd: {
            gemm(m: B, n: H, k: H, a: x.data, lda: H, transA: false, b: w.data, ldb: H, transB: false,
                 c: y.data, ldc: H, accumulate: false)
        }, scalar: {
            gemmReference(m: B, n: H, k: H, a: x.data, lda: H, transA: false, b: w.data, ldb: H, transB: false,
                          c: y.data, ldc: H, accumulate: false)
        }),
        KernelSpeedup(kernel: "weight-gradient GEMM", shape: "[\(k)×\(H)]ᵀ·[\(k)×\(H)]", simd: {
            gemm(m: H, n: H, k: k, a: a.data, lda: H, transA: true, b: g.data, ldb: H, transB: false,
                 c: dw.data, ldc: H, accumulate: true)
        }, scalar: {
            gemmReference(m: H, n: H, k: k, a: a.data, lda: H, transA: true, b: g.data, ldb: H, transB: false,
                          c: dw.data, ldc: H, accumulate: true)
        }),
        KernelSpeedup(kernel: "bias + \(act.rawValue)", shape: "[\(B)×\(H)]", simd: {
            y.data.update(from: x.data, count: B * H)
            biasActivationForward(act, y.data, rows: B, cols: H, ld: H, bias: bias.data)
        }, scalar: {
            y.data.update(from: x.data, count: B * H)
            biasActivationForwardReference(act, y.data, rows: B, cols: H, ld: H, bias: bias.data)
        }),
        KernelSpeedup(kernel: "\(act.rawValue) backward", shape: "[\(B)×\(H)]", simd: {
            activationBackward(act, y: x.data, dy: a.data, dz: y.data, count: B * H)
        }, scalar: {
            activationBackwardReference(act, y: x.data, dy: a.data, dz: y.data, count: B * H)
        }),
        KernelSpeedup(kernel: "softmax-CE", shape: "[\(B)×\(V)]", simd: {
            _ = softmaxCrossEntropy(logits: logits.data, ld: V, rows: B, classes: V, targets: targets.data,
                                    dlogits: dlogits.data, gradScale: 1)
        }, scalar: {
            _ = softmaxCrossEntropyReference(logits: logits.data, ld: V, rows: B, classes: V, targets: targets.data,
                                             dlogits: dlogits.data, gradScale: 1)
        }),
        KernelSpeedup(kernel: "Adam", shape: "[\(H)×\(H)]", simd: {
            adamUpdate(param: w.data, grad: gw.data, m: m.data, v: v.data, count: H * H, lr: 1e-6,
                       beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 10)
        }, scalar: {
            adamUpdateReference(param: w.data, grad: gw.data, m: m.data, v: v.data, count: H * H, lr: 1e-6,
                                beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 10)
        }),
    ]
}

/// A tensor of small deterministic values in [−0.5, 0.5).
private func filled(_ count: Int) -> Tensor {
    let t = Tensor([count])
    var rng = Xoshiro256StarStar(seed: UInt64(count))
    for i in 0..<count { t[i] = rng.nextFloat() - 0.5 }
    return t
}
