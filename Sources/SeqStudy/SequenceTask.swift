import SeqModel

/// The long-dependency tasks a study can run; the raw value is the name in flags, files and run ids.
public enum TaskKind: String, CaseIterable, Codable, Sendable {
    /// A key, filler, a query: recall the key (classification).
    case recall
    /// A noun, filler, an adjective ending that agrees with it (classification).
    case agreement
    /// Two marked numbers among T: their sum (regression).
    case adding
}

/// A long-dependency task: a seeded generator of fresh training and test sequences, all of one length T, with
/// the information the loss needs placed a known distance before the step where it is scored.
public protocol SequenceTask: Sendable {
    var kind: TaskKind { get }
    /// The dependency distance d the task was built for.
    var distance: Int { get }
    /// T, the length of every sequence.
    var steps: Int { get }
    var input: ModelConfig.Input { get }
    var head: ModelConfig.Head { get }
    /// Chance accuracy (classification) or the MSE of the best constant prediction (regression).
    var chance: Double { get }
    /// The time index t (1…T) of the state that holds the dependency's source, for the gradient ratio
    /// ‖∂L/∂h_source‖ / ‖∂L/∂h_T‖ (the loss is always at the last step T).
    var sourceStep: Int { get }
    /// Fills a workspace of `ws.batch` independent sequences (the caller resets the state).
    func fill(_ ws: Workspace, rng: inout Xoshiro256StarStar)
}

extension SequenceTask {
    public var isRegression: Bool {
        if case .regression = head { return true }
        return false
    }

    /// Solved: accuracy ≥ `threshold`, or for regression MSE ≤ 0.01 (the adding problem's usual criterion).
    public func isSolved(accuracy: Double?, loss: Double, threshold: Double) -> Bool {
        isRegression ? loss <= 0.01 : (accuracy ?? 0) >= threshold
    }
}

/// Accuracy of the last forward pass at the scored steps (argmax of the outputs against the target class).
public func scoredAccuracy(_ ws: Workspace) -> (correct: Int, scored: Int) {
    let o = ws.config.outputWidth
    var correct = 0, scored = 0
    for r in 0..<(ws.steps * ws.batch) where ws.targets[r] >= 0 {
        let row = ws.outputs.data + r * o
        var best = 0
        for j in 1..<o where row[j] > row[best] { best = j }
        if best == Int(ws.targets[r]) { correct += 1 }
        scored += 1
    }
    return (correct, scored)
}
