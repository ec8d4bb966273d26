import SeqModel
/// The adding problem (Hochreiter & Schmidhuber 1997): T steps of two channels, a value from U[0, 1] and a
/// marker that is 1 at exactly two steps — one in the first half, one in the second — and 0 elsewhere. The
/// target at the last step is the sum of the two marked values; MSE is the loss. Predicting 1 always gives
/// MSE 1/6 ≈ 0.167 (the variance of a sum of two uniforms), the baseline; ≤ 0.01 counts as solved.
public struct AddingTask: SequenceTask {
    public let distance: Int

    public init(length: Int) {
        precondition(length >= 2, "the adding problem needs at least two steps")
        distance = length
    }

    public var kind: TaskKind { .adding }
    public var steps: Int { distance }
    public var input: ModelConfig.Input { .dense(features: 2) }
    public var head: ModelConfig.Head { .regression(outputs: 1) }
    public var chance: Double { 1.0 / 6 }
    /// The first marker is anywhere in the first half; its earliest position is the longest dependency.
    public var sourceStep: Int { 1 }

    public func fill(_ ws: Workspace, rng: inout Xoshiro256StarStar) {
        let (T, B) = (steps, ws.batch)
        let half = T / 2
        for b in 0..<B {
            let first = rng.below(half), second = half + rng.below(T - half)
            var sum: Float = 0
            for t in 0..<T {
                let r = t * B + b
                let value = rng.nextFloat()
                let marked = t == first || t == second
                ws.inputs[r * 2] = value
                ws.inputs[r * 2 + 1] = marked ? 1 : 0
                if marked { sum += value }
                ws.scored[r] = 0
            }
            let last = (T - 1) * B + b
            ws.scored[last] = 1
            ws.targetValues[last] = sum
        }
    }
}
