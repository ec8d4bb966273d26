import Foundation
import SeqKernels

/// The kernel families a training step spends its time in, as `nlp-vanish profile` reports them.
public enum StepPhase: Int, CaseIterable, Sendable {
    /// The input projection of the whole window: a row gather (token input) or one GEMM (dense input).
    case inputProjection
    /// h_{t−1}·W_hh, one GEMM per step.
    case recurrentForward
    /// Bias plus non-linearity after each recurrent GEMM, and the non-linearity's derivative in BPTT.
    case activations
    /// The decoder's forward GEMM and bias.
    case decoderForward
    /// Softmax cross-entropy and its gradient.
    case softmax
    /// The decoder's weight gradient, bias gradient, and ∂L/∂h of the top layer (two GEMMs).
    case decoderBackward
    /// ∂L/∂z_t·W_hh, one GEMM per step of BPTT.
    case recurrentBackward
    /// The layers' weight gradients (one GEMM each with K = T·B), bias sums and the one-hot scatter.
    case weightGradient
    /// ∂L/∂x of a layer above the first (one GEMM with M = T·B).
    case inputGradient
    /// Gradient zeroing, the norm, clipping and the Adam update.
    case optimizer
    /// With two threads: each half batch's rows copied in and states copied out, and the weighted sum of the
    /// halves' gradients (`BatchSplit`).
    case batchSplit

    public var name: String {
        switch self {
        case .inputProjection: "input projection"
        case .recurrentForward: "recurrent GEMM fwd"
        case .activations: "activations"
        case .decoderForward: "decoder fwd"
        case .softmax: "softmax-CE"
        case .decoderBackward: "decoder bwd"
        case .recurrentBackward: "recurrent GEMM bwd"
        case .weightGradient: "weight-gradient GEMM"
        case .inputGradient: "input-gradient GEMM"
        case .optimizer: "optimizer"
        case .batchSplit: "batch split"
        }
    }
}

/// Wall-clock time per `StepPhase`, accumulated by the model's code when a workspace carries one: the hook
/// through which the profiler sees inside a step without the model knowing about profiling.
///
/// Measured in context rather than by replaying kernels in isolation, so caches hold what they hold in a real
/// step. Each reading costs a clock call, small but not free, so the profiler reports the throughput of untimed steps
/// and uses a timer only for the shares.
public final class PhaseTimer: @unchecked Sendable {
    /// Nanoseconds per phase, indexed by `StepPhase.rawValue`.
    public private(set) var nanoseconds = [UInt64](repeating: 0, count: StepPhase.allCases.count)

    public init() {}

    /// The current reading, to pass to `record`.
    @inline(__always) public func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// Adds the time since `start` to `phase` and returns the current reading (the start of the next phase).
    @discardableResult @inline(__always)
    public func record(_ phase: StepPhase, since start: UInt64) -> UInt64 {
        let end = now()
        nanoseconds[phase.rawValue] &+= end &- start
        return end
    }

    public func reset() { nanoseconds = [UInt64](repeating: 0, count: StepPhase.allCases.count) }

    /// Adds the times of the parts of a split step, per phase: their sum when the parts ran one after the other,
    /// and when they ran at the same time, each on its own thread, their mean (a phase's time on one thread).
    public func add(_ parts: [PhaseTimer], concurrent: Bool) {
        for phase in nanoseconds.indices {
            let sum = parts.reduce(0) { $0 &+ $1.nanoseconds[phase] }
            nanoseconds[phase] &+= concurrent ? sum / UInt64(parts.count) : sum
        }
    }
}
