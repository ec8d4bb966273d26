import SeqKernels
import SeqModel

/// DropConnect on the recurrent matrices (weight drop): for one update, every entry of each layer's W_hh is
/// multiplied by its own mask value m ∈ {0, 1/(1 − p)}, P(m = 0) = p, and the window runs on W̃ = m ⊙ W. The mask
/// is the same at every time step and for every sequence of the window: one sampled recurrent network per update,
/// which regularises the recurrence without resampling noise along time. By the chain rule
/// ∂L/∂W = m ⊙ ∂L/∂W̃, and between updates the stored weights stay W, so evaluation and sampling use W unscaled
/// (E[m] = 1).
///
/// Only matrices are masked: the IndRNN's recurrent weight is one scalar per unit, not a connection pattern.
final class RecurrentWeightDrop {
    let probability: Float
    private let targets: [Parameter]
    /// W of each target while W̃ is in its place.
    private let savedWeights: [Tensor]
    private let masks: [Tensor]
    private var applied = false

    /// Nil when nothing would be dropped (p = 0, or no recurrent matrix in the model).
    init?(model: RNNModel, probability: Float) {
        precondition(probability >= 0 && probability < 1, "weight drop: p must be in [0, 1)")
        let targets = (0..<model.config.layers).map { model.recurrentParameter(layer: $0) }
            .filter { $0.shape.count == 2 }
        guard probability > 0, !targets.isEmpty else { return nil }
        self.probability = probability
        self.targets = targets
        savedWeights = targets.map { Tensor($0.shape) }
        masks = targets.map { Tensor($0.shape) }
    }

    /// Replaces each W by m ⊙ W, with masks drawn from `seed` alone (so threads and resume see the same masks).
    func apply(seed: UInt64) {
        precondition(!applied, "weight drop applied twice")
        for (k, (parameter, mask)) in zip(targets, masks).enumerated() {
            var rng = Xoshiro256StarStar(seed: seed &+ 0xA076_1D64_78BD_642F &* UInt64(k + 1))
            rng.fillDropoutMask(mask.data, count: mask.count, probability: probability)
            savedWeights[k].data.update(from: parameter.value.data, count: mask.count)
            multiply(parameter.value.data, mask.data, into: parameter.value.data, count: mask.count)
        }
        applied = true
    }

    /// Puts W back; with `maskingGradients`, first turns ∂L/∂W̃ in each gradient into ∂L/∂W = m ⊙ ∂L/∂W̃.
    func restore(maskingGradients: Bool) {
        guard applied else { return }
        for (k, parameter) in targets.enumerated() {
            let count = parameter.value.count
            if maskingGradients {
                multiply(parameter.grad.data, masks[k].data, into: parameter.grad.data, count: count)
            }
            parameter.value.data.update(from: savedWeights[k].data, count: count)
        }
        applied = false
    }
}
