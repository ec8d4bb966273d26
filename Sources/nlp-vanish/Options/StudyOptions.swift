import ArgumentParser
import Foundation
import SeqStudy
import SeqTraining

/// Everything that defines a study grid and how its runs train; shared by `study` and the main job.
struct StudyOptions: ParsableArguments {
    @Option(help: "recall, agreement or adding.")
    var task: TaskKind = .recall
    @Option(help: "Dependency distances d (comma-separated). For adding, the sequence length T.")
    var distances = "5,10,20,40,80,160"
    @OptionGroup var variantOptions: VariantOptions
    @Option(help: "Depths (comma-separated, each 1…8).")
    var layers = "1"
    @Option(help: "Seeds per configuration (1…100).")
    var seeds = 2
    @Option(help: "Maximum updates per run; a run stops once solved.")
    var steps = 2000
    @Option(help: "Sequences per batch.")
    var batch = 32
    @Option(help: "Learning rate for every variant (default: per variant — relu:identity 1e-4, relu:* 3e-4, others 1e-3).")
    var lr: Float?
    @Option(help: "adam, sgd or adagrad.")
    var optimizer: OptimizerKind = .adam
    @Option(help: "Gradient clipping by global norm (0 = off).")
    var clip: Float = 1
    @Option(name: .customLong("solve-at"), help: "Test accuracy that counts as solved.")
    var solveAt = 0.95
    @Option(name: .customLong("eval-every"), help: "Steps between tests on 1,000 fresh sequences.")
    var evalEvery = 100
    @Flag(name: .customLong("genders-only"), help: "Agreement task: singular nouns only (chance 1/2).")
    var gendersOnly = false
    @Option(help: "Run shard K of N (K/N, 1-based) of the grid.")
    var shard: String?
    @Option(help: "Threads running independent runs (1…64).")
    var threads = ProcessInfo.processInfo.activeProcessorCount
    @OptionGroup var filler: FillerOptions

    /// Valid once `check()` has passed.
    var parsedDistances: [Int] { (try? ListArgument.integers(distances, flag: "distances", range: 1...100_000)) ?? [] }
    var parsedLayers: [Int] { (try? ListArgument.integers(layers, flag: "layers", range: 1...8)) ?? [] }

    func check() throws {
        _ = try ListArgument.integers(distances, flag: "distances", range: task == .adding ? 2...100_000 : 1...100_000)
        try variantOptions.check()
        _ = try ListArgument.integers(layers, flag: "layers", range: 1...8)
        try requireRange(seeds, "seeds", 1...100)
        try requireRange(steps, "steps", 1...10_000_000)
        try requireRange(batch, "batch", 1...4096)
        try requireRange(evalEvery, "eval-every", 1...10_000_000)
        try requireRange(threads, "threads", 1...64)
        try requireUpdateSettings(lr: lr, clip: clip)
        guard solveAt > 0, solveAt <= 1 else { throw ValidationError("--solve-at must be in (0, 1] (got \(solveAt))") }
        _ = try parsedShard()
        try checkMemory(parameters: parsedLayers.max()! * 2 * variantOptions.hidden * variantOptions.hidden,
                        activations: (parsedDistances.max()! + 40) * max(batch, 250) * variantOptions.hidden * parsedLayers.max()! * 3 * threads)
    }

    func parsedShard() throws -> (index: Int, count: Int)? {
        guard let shard else { return nil }
        let parts = shard.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(k) else {
            throw ValidationError("--shard must be K/N with 1 ≤ K ≤ N (got '\(shard)')")
        }
        return (k, n)
    }

    var settings: StudySettings {
        var s = StudySettings()
        s.steps = steps
        s.batch = batch
        s.learningRate = lr
        s.optimizer = optimizer
        s.clip = clip
        s.solveAt = solveAt
        s.evalEvery = evalEvery
        return s
    }

    /// The settings every run of the grid shares, typed; summary.json records them and a study folder keeps them
    /// (study.json) so that a later run into it cannot mix other settings in silently.
    var sharedSettings: [String: SettingValue] {
        ["task": .text(task.rawValue), "hidden": .integer(variantOptions.hidden), "steps": .integer(steps),
         "batch": .integer(batch), "lr": lr.map { .decimal("\($0)") } ?? .text("per variant"),
         "optimizer": .text(optimizer.rawValue), "clip": .decimal("\(clip)"), "solve_at": .decimal("\(solveAt)"),
         "eval_every": .integer(evalEvery), "genders_only": .boolean(gendersOnly)]
    }

    /// The shared settings and this invocation's grid.
    var configurationRecord: [String: SettingValue] {
        var record = sharedSettings
        record["distances"] = .integers(parsedDistances)
        record["variants"] = .texts(variantOptions.parsed.map(\.description))
        record["layers"] = .integers(parsedLayers)
        record["seeds"] = .integer(seeds)
        record["shard"] = .text(shard ?? "all")
        return record
    }
}
