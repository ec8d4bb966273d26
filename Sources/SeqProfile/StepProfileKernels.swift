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
    let G = config.cell == .indrnn ? 1 : config.cell.gateCount, GH = G * H
    let k = 8 * B
    let x = filled(B * H), w = filled(H * GH), y = Tensor([B * GH]), a = filled(k * H), g = filled(k * GH)
    let dw = Tensor([H * GH]), gw = filled(H * H), bias = filled(GH), logits = filled(B * V), dlogits = Tensor([B * V])
    let m = Tensor([H * H]), v = Tensor([H * H]), targets = IndexBuffer(count: B)
    for i in 0..<B { targets[i] = Int32(i % V) }
    var kernels = [KernelSpeedup]()
    if config.cell != .indrnn {
        kernels.append(KernelSpeedup(kernel: "recurrent GEMM", shape: "[\(B)×\(H)]·[\(H)×\(GH)]", simd: {
            gemm(m: B, n: GH, k: H, a: x.data, lda: H, transA: false, b: w.data, ldb: GH, transB: false,
                 c: y.data, ldc: GH, accumulate: false)
        }, scalar: {
            gemmReference(m: B, n: GH, k: H, a: x.data, lda: H, transA: false, b: w.data, ldb: GH, transB: false,
                          c: y.data, ldc: GH, accumulate: false)
        }))
        kernels.append(KernelSpeedup(kernel: "weight-gradient GEMM", shape: "[\(k)×\(H)]ᵀ·[\(k)×\(GH)]", simd: {
            gemm(m: H, n: GH, k: k, a: a.data, lda: H, transA: true, b: g.data, ldb: GH, transB: false,
                 c: dw.data, ldc: GH, accumulate: true)
        }, scalar: {
            gemmReference(m: H, n: GH, k: k, a: a.data, lda: H, transA: true, b: g.data, ldb: GH, transB: false,
                          c: dw.data, ldc: GH, accumulate: true)
        }))
    }
    kernels += cellKernels(config, x: x, y: y, a: a, g: g, bias: bias) + [
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
    return kernels
}

/// The element-wise kernels of one step of `config`'s cell, forward and backward, on B rows. `x` [B·H] stands
/// for states, `y` [B·G·H] for gate pre-activations, `a` and `g` (at least B·G·H) for gradients.
private func cellKernels(_ config: StepProfileConfig, x: Tensor, y: Tensor, a: Tensor, g: Tensor,
                         bias: Tensor) -> [KernelSpeedup] {
    let (B, H) = (config.batch, config.hidden)
    let act = config.activation
    let (c, t, h, d) = (filled(B * H), Tensor([B * H]), Tensor([B * H]), Tensor([B * H]))
    switch config.cell {
    case .lstm:
        let pre = filled(B * 4 * H), dz = Tensor([B * 4 * H])
        return [
            KernelSpeedup(kernel: "LSTM step", shape: "[\(B)×4·\(H)]", simd: {
                y.data.update(from: pre.data, count: B * 4 * H)
                lstmForwardPointwise(gates: y.data, bias: bias.data, cPrev: c.data, c: h.data, cTanh: t.data, h: d.data,
                                     rows: B, hidden: H)
            }, scalar: {
                y.data.update(from: pre.data, count: B * 4 * H)
                lstmForwardPointwiseReference(gates: y.data, bias: bias.data, cPrev: c.data, c: h.data, cTanh: t.data,
                                              h: d.data, rows: B, hidden: H)
            }),
            KernelSpeedup(kernel: "LSTM step backward", shape: "[\(B)×4·\(H)]", simd: {
                d.data.update(from: a.data, count: B * H)
                lstmBackwardPointwise(gates: pre.data, cPrev: c.data, cTanh: x.data, dh: g.data, dc: d.data,
                                      dGates: dz.data, cellGrad: nil, rows: B, hidden: H)
            }, scalar: {
                d.data.update(from: a.data, count: B * H)
                lstmBackwardPointwiseReference(gates: pre.data, cPrev: c.data, cTanh: x.data, dh: g.data, dc: d.data,
                                               dGates: dz.data, cellGrad: nil, rows: B, hidden: H)
            }),
        ]
    case .gru:
        let pre = filled(B * 3 * H), hh = filled(B * 3 * H), dr = Tensor([B * 3 * H]), di = Tensor([B * 3 * H])
        return [
            KernelSpeedup(kernel: "GRU step", shape: "[\(B)×3·\(H)]", simd: {
                y.data.update(from: pre.data, count: B * 3 * H)
                gruForwardPointwise(gates: y.data, recurrent: hh.data, biasInput: bias.data, biasRecurrent: bias.data,
                                    hPrev: c.data, hn: t.data, h: h.data, rows: B, hidden: H)
            }, scalar: {
                y.data.update(from: pre.data, count: B * 3 * H)
                gruForwardPointwiseReference(gates: y.data, recurrent: hh.data, biasInput: bias.data,
                                             biasRecurrent: bias.data, hPrev: c.data, hn: t.data, h: h.data, rows: B,
                                             hidden: H)
            }),
            KernelSpeedup(kernel: "GRU step backward", shape: "[\(B)×3·\(H)]", simd: {
                gruBackwardPointwise(gates: pre.data, hn: x.data, hPrev: c.data, dh: a.data, dInput: di.data,
                                     dRecurrent: dr.data, dhPrev: d.data, accumulate: false, rows: B, hidden: H)
            }, scalar: {
                gruBackwardPointwiseReference(gates: pre.data, hn: x.data, hPrev: c.data, dh: a.data, dInput: di.data,
                                              dRecurrent: dr.data, dhPrev: d.data, accumulate: false, rows: B, hidden: H)
            }),
        ]
    case .indrnn:
        let u = filled(H), du = Tensor([H])
        return [
            KernelSpeedup(kernel: "IndRNN step", shape: "[\(B)×\(H)]", simd: {
                h.data.update(from: x.data, count: B * H)
                indrnnForwardPointwise(act, z: h.data, u: u.data, bias: bias.data, hPrev: c.data, rows: B, hidden: H)
            }, scalar: {
                h.data.update(from: x.data, count: B * H)
                indrnnForwardPointwiseReference(act, z: h.data, u: u.data, bias: bias.data, hPrev: c.data, rows: B,
                                                hidden: H)
            }),
            KernelSpeedup(kernel: "IndRNN step backward", shape: "[\(B)×\(H)]", simd: {
                t.data.update(from: a.data, count: B * H)
                indrnnBackwardPointwise(act, h: x.data, grad: t.data, u: u.data, hPrev: c.data, dhPrev: d.data,
                                        accumulate: false, uGrad: du.data, rows: B, hidden: H)
            }, scalar: {
                t.data.update(from: a.data, count: B * H)
                indrnnBackwardPointwiseReference(act, h: x.data, grad: t.data, u: u.data, hPrev: c.data,
                                                 dhPrev: d.data, accumulate: false, uGrad: du.data, rows: B, hidden: H)
            }),
        ]
    case .rnn:
        break
    }
    return [
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
    ]
}

/// A tensor of small deterministic values in [−0.5, 0.5).
private func filled(_ count: Int) -> Tensor {
    let t = Tensor([count])
    var rng = Xoshiro256StarStar(seed: UInt64(count))
    for i in 0..<count { t[i] = rng.nextFloat() - 0.5 }
    return t
}
