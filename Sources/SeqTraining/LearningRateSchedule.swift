import Foundation
/// How the learning rate changes over training.
public enum LearningRateSchedule: Equatable, Sendable {
    case constant
    /// Multiply by `factor` every `every` steps: lr(step) = lr₀ · factor^⌊step / every⌋.
    case stepDecay(every: Int, factor: Float)
    /// Divide by `factor` when the validation loss has not improved on its best by more than a relative
    /// `threshold` for `patience` evaluations in a row (then the count starts again).
    case divideOnPlateau(factor: Float, patience: Int, threshold: Double)
    /// A linear warm-up from lr₀/w to lr₀ over the first `warmup` steps (w = warmup), then a half cosine from
    /// lr₀ down to `floor` at step `total`: lr(s) = floor + (lr₀ − floor)·(1 + cos(π·(s − w)/(total − w)))/2.
    case warmupCosine(warmup: Int, total: Int, floor: Float)
}

/// The schedule's running state: the current rate and, for plateaus, the best loss and the waiting count.
public struct LearningRateController: Equatable, Sendable {
    public let schedule: LearningRateSchedule
    public let initial: Float
    public private(set) var current: Float
    public private(set) var bestLoss: Double = .infinity
    public private(set) var badEvaluations = 0

    public init(initial: Float, schedule: LearningRateSchedule) {
        self.initial = initial
        self.schedule = schedule
        current = initial
    }

    /// Restores a saved state (checkpoints).
    public init(initial: Float, schedule: LearningRateSchedule, current: Float, bestLoss: Double, badEvaluations: Int) {
        self.init(initial: initial, schedule: schedule)
        self.current = current
        self.bestLoss = bestLoss
        self.badEvaluations = badEvaluations
    }

    /// The rate for update number `step` (0-based) under step decay or warm-up and cosine; unchanged otherwise.
    /// Both are functions of the step alone, so a resumed run needs no more than the step.
    public mutating func beginStep(_ step: Int) {
        switch schedule {
        case .stepDecay(let every, let factor) where every > 0:
            var lr = initial
            for _ in 0..<(step / every) { lr *= factor }
            current = lr
        case .warmupCosine(let warmup, let total, let floor):
            if step < warmup {
                current = Float(Double(initial) * Double(step + 1) / Double(warmup))
            } else {
                let progress = min(1, Double(step - warmup) / Double(max(1, total - warmup)))
                let cosine = (1 + cos(Double.pi * progress)) / 2
                current = Float(Double(floor) + (Double(initial) - Double(floor)) * cosine)
            }
        default:
            break
        }
    }

    /// Feeds a validation loss to the plateau rule; returns true when the rate was just divided.
    @discardableResult
    public mutating func observe(validationLoss loss: Double) -> Bool {
        guard case .divideOnPlateau(let factor, let patience, let threshold) = schedule else {
            bestLoss = min(bestLoss, loss)
            return false
        }
        if loss < bestLoss * (1 - threshold) {
            bestLoss = loss
            badEvaluations = 0
            return false
        }
        badEvaluations += 1
        guard badEvaluations >= patience else { return false }
        current /= factor
        badEvaluations = 0
        return true
    }
}
