/// How the learning rate changes over training.
public enum LearningRateSchedule: Equatable, Sendable {
    case constant
    /// Multiply by `factor` every `every` steps: lr(step) = lr₀ · factor^⌊step / every⌋.
    case stepDecay(every: Int, factor: Float)
    /// Divide by `factor` when the validation loss has not improved on its best by more than a relative
    /// `threshold` for `patience` evaluations in a row (then the count starts again).
    case divideOnPlateau(factor: Float, patience: Int, threshold: Double)
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

    /// The rate for update number `step` (0-based) under step decay; unchanged otherwise.
    public mutating func beginStep(_ step: Int) {
        if case .stepDecay(let every, let factor) = schedule, every > 0 {
            var lr = initial
            for _ in 0..<(step / every) { lr *= factor }
            current = lr
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
