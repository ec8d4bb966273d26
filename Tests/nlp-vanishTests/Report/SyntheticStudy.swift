import Foundation
import SeqStudy

/// Small, hand-made study results for the report tests. RunResult has no public memberwise initialiser,
/// so runs are decoded from the JSON a study writes.
enum SyntheticStudy {
    /// g(k) falling by `decay` per step back; a decay of 0.1 underflows to exact zeros like a sigmoid RNN.
    static func profile(length: Int, decay: Double) -> [Double] {
        (0...length).map { k in let value = pow(decay, Double(k)); return value < 1e-38 ? 0 : value }
    }

    static func run(activation: String, initialization: String = "xavier", layers: Int, distance: Int, seed: Int,
                    task: TaskKind = .recall, accuracy: Double?, decay: Double = 0.8) throws -> RunResult {
        let profiles = (0..<layers).flatMap { layer in
            ["init", "final"].map { ["layer": layer, "phase": $0, "norms": profile(length: distance + 5, decay: decay)] as [String: Any] }
        }
        var fields: [String: Any] = [
            "id": "\(activation)-\(layers)-\(distance)-\(seed)", "task": task.rawValue, "activation": activation,
            "initialization": initialization, "layers": layers, "hidden": 16, "distance": distance, "seed": seed,
            "learningRate": 0.001, "steps": 200, "solved": (accuracy ?? 0) > 0.9, "testLoss": 0.5,
            "chance": task == .adding ? 0.167 : 0.125, "sigmaMaxFinal": Array(repeating: 1.0, count: layers),
            "recurrentGradNormInit": (0..<layers).map { pow(0.1, Double(layers - $0)) }, "deadFraction": 0,
            "saturatedFraction": 0, "clipEvents": 0, "diverged": false, "seconds": 1,
            "curve": [0, 100, 200].map { ["step": $0, "loss": 1.0, "accuracy": (accuracy ?? 0) * Double($0) / 200] },
            "profiles": profiles,
        ]
        if let accuracy { fields["testAccuracy"] = accuracy }
        if (accuracy ?? 0) > 0.9 { fields["stepsToSolve"] = 10 * distance + 50 * seed }
        return try JSONDecoder().decode(RunResult.self, from: JSONSerialization.data(withJSONObject: fields))
    }

    /// Every combination of the given activations, depths, distances and two seeds.
    static func runs(activations: [String], depths: [Int], distances: [Int] = [10, 40],
                     task: TaskKind = .recall) throws -> [RunResult] {
        var runs: [RunResult] = []
        for activation in activations {
            for layers in depths {
                for distance in distances {
                    for seed in 1...2 {
                        let accuracy: Double? = task == .adding ? nil : distance == distances[0] ? 1 : seed == 1 ? 0.95 : 0.125
                        runs.append(try run(activation: activation, layers: layers, distance: distance, seed: seed, task: task,
                                            accuracy: accuracy, decay: activation == "sigmoid" ? 0.1 : 0.8))
                    }
                }
            }
        }
        return runs
    }

    static func summary(of runs: [RunResult], task: TaskKind = .recall) throws -> StudySummary {
        StudySummary(results: runs, configuration: ["steps": .integer(200), "hidden": .integer(16)])
    }
}

/// How many times `part` occurs in `text`.
func occurrences(of part: String, in text: String) -> Int {
    text.components(separatedBy: part).count - 1
}
