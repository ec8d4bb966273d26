import ArgumentParser
import Foundation
import SeqKernels
import SeqTraining
import SeqStudy

/// `nlp-vanish study`: how dependency distance affects learning, per activation, initialisation and depth.
struct Study: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a grid of RNNs on a long-dependency task and report how distance affects learning.",
        discussion: """
            Each distance × variant × depth × seed is an independent run on freshly generated sequences. \
            Results go to DIR/results.jsonl as runs finish; an interrupted study (Ctrl-C) keeps them and, run \
            again with the same --out, skips them. --shard K/N runs a deterministic 1/N of the grid; merge \
            shard folders with `nlp-vanish report`.
            """)

    @OptionGroup var grid: StudyOptions
    @Option(help: "Output folder.")
    var out = "runs/study"

    func validate() throws { try grid.check() }

    func run() throws {
        Interrupt.install()
        let folder = try StudyFolder(path: out)
        let outcome = try grid.execute(into: folder)
        printStudyTable(outcome.summary, results: outcome.results)
        for sentence in outcome.summary.verdict { print("• " + sentence) }
        print("report: \(out)/report.html")
        if outcome.interrupted {
            printError("interrupted: \(outcome.results.count) finished runs are saved in \(out)/; run the same command to continue")
            throw ExitCode(ExitStatus.interrupted)
        }
    }
}

/// Everything that defines a study grid and how its runs train; shared by `study` and the main job.
struct StudyOptions: ParsableArguments {
    @Option(help: "recall, agreement or adding.")
    var task = "recall"
    @Option(help: "Dependency distances d (comma-separated). For adding, the sequence length T.")
    var distances = "5,10,20,40,80,160"
    @Option(help: "Variants activation:init (comma-separated).")
    var variants = "sigmoid:xavier,tanh:default,tanh:xavier,relu:default,relu:identity"
    @Option(help: "Depths (comma-separated, each 1…8).")
    var layers = "1"
    @Option(help: "Hidden units (1…1024).")
    var hidden = 64
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
    @Option(help: "Text for the filler (a file or a folder of .txt files).")
    var corpus: String = CorpusLocation.defaultPath
    @OptionGroup var text: TextOptions

    /// Valid once `check()` has passed.
    var parsedDistances: [Int] { (try? ListArgument.integers(distances, flag: "distances", range: 1...100_000)) ?? [] }
    var parsedVariants: [Variant] { (try? ListArgument.variants(variants)) ?? [] }
    var parsedLayers: [Int] { (try? ListArgument.integers(layers, flag: "layers", range: 1...8)) ?? [] }

    func check() throws {
        guard ["recall", "agreement", "adding"].contains(task) else {
            throw ValidationError("--task must be recall, agreement or adding (got \(task))")
        }
        _ = try ListArgument.integers(distances, flag: "distances", range: task == "adding" ? 2...100_000 : 1...100_000)
        _ = try ListArgument.variants(variants)
        _ = try ListArgument.integers(layers, flag: "layers", range: 1...8)
        try requireRange(hidden, "hidden", 1...1024)
        try requireRange(seeds, "seeds", 1...100)
        try requireRange(steps, "steps", 1...10_000_000)
        try requireRange(batch, "batch", 1...4096)
        try requireRange(evalEvery, "eval-every", 1...10_000_000)
        try requireRange(threads, "threads", 1...64)
        if let lr, !(lr > 0 && lr.isFinite) { throw ValidationError("--lr must be a positive number (got \(lr))") }
        guard clip >= 0, clip.isFinite else { throw ValidationError("--clip must be ≥ 0 (got \(clip))") }
        guard solveAt > 0, solveAt <= 1 else { throw ValidationError("--solve-at must be in (0, 1] (got \(solveAt))") }
        _ = try parsedShard()
        try checkMemory(parameters: parsedLayers.max()! * 2 * hidden * hidden,
                        activations: (parsedDistances.max()! + 40) * max(batch, 250) * hidden * parsedLayers.max()! * 3 * threads)
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

    var configurationRecord: [String: String] {
        ["task": task, "distances": distances, "variants": variants, "layers": layers, "hidden": "\(hidden)",
         "seeds": "\(seeds)", "steps": "\(steps)", "batch": "\(batch)", "lr": lr.map { "\($0)" } ?? "per variant",
         "optimizer": optimizer.rawValue, "clip": "\(clip)", "solve_at": "\(solveAt)", "eval_every": "\(evalEvery)",
         "shard": shard ?? "all"]
    }

    /// Runs every run of the grid (or shard) not already in `folder`, on `threads` threads, with a progress
    /// line; stops early (keeping finished runs) on Ctrl-C.
    func execute(into folder: StudyFolder) throws -> (results: [RunResult], summary: StudySummary, interrupted: Bool) {
        let filler = try StudyFiller(corpus: corpus, options: text)
        let longest = parsedDistances.max()!
        if task != "adding", filler.filler.tokens.count < longest + 100 {
            throw ValidationError("--distances: \(longest) is too long for the filler text (\(filler.filler.tokens.count) "
                                  + "tokens in \(corpus)); the largest usable distance is \(filler.filler.tokens.count - 100)")
        }
        let grid = StudyGrid(task: task, distances: parsedDistances, variants: parsedVariants, layers: parsedLayers,
                             hidden: hidden, seeds: seeds)
        let planned = try parsedShard().map { grid.shard($0.index, of: $0.count) } ?? grid.runs
        var results = try folder.readResults()
        let done = Set(results.map(\.id))
        let todo = planned.filter { !done.contains($0.id) }
        if !done.isEmpty { printError("\(planned.count - todo.count) of \(planned.count) runs already in \(folder.path); running the other \(todo.count)") }
        // The longest runs first, so the last minutes are not one long run on one core.
        let ordered = todo.sorted { ($0.distance * $0.layers, $0.id) > ($1.distance * $1.layers, $1.id) }
        let progress = Progress(total: ordered.count, label: "run", plainEvery: 1)
        let runner = StudyRunner(settings: settings)
        let gendersOnly = self.gendersOnly
        let collected = ResultBox()
        runInParallel(ordered, threads: threads, work: { spec in
            runner.run(spec, task: filler.task(spec.task, distance: spec.distance, gendersOnly: gendersOnly),
                       shouldStop: { Interrupt.requested })
        }, finished: { spec, result in
            collected.add(result)
            do { try folder.append(result) } catch { collected.fail(error) }
            let status = result.diverged ? "diverged" : result.solved ? "solved at \(result.stepsToSolve!)" : "not solved"
            progress.update(collected.count, text: "\(spec.id): \(status) (\(String(format: "%.1f", result.seconds)) s)")
        })
        progress.finish()
        if let failure = collected.error { throw failure }
        results += collected.results
        let order = Dictionary(uniqueKeysWithValues: grid.runs.enumerated().map { ($0.element.id, $0.offset) })
        results.sort { (order[$0.id] ?? .max) < (order[$1.id] ?? .max) }
        let summary = StudySummary(results: results, configuration: configurationRecord)
        try folder.writeViews(results, summary: summary)
        return (results, summary, Interrupt.requested && collected.count < ordered.count)
    }
}

/// Results gathered from worker threads (guarded by `runInParallel`'s delivery lock).
private final class ResultBox: @unchecked Sendable {
    private(set) var results = [RunResult]()
    private(set) var error: Error?
    var count: Int { results.count }
    func add(_ r: RunResult) { results.append(r) }
    func fail(_ e: Error) { if error == nil { error = e } }
}

/// The end-of-study table: fraction of seeds solved per variant and distance, one block per depth.
func printStudyTable(_ summary: StudySummary, results: [RunResult]) {
    for layers in Set(summary.lines.map(\.layers)).sorted() {
        let lines = summary.lines.filter { $0.layers == layers }
        guard let distances = lines.first?.distances else { continue }
        print("\n\(summary.task), \(layers) layer\(layers == 1 ? "" : "s"): fraction of seeds solved (mean test "
              + (summary.task == "adding" ? "MSE" : "accuracy") + ")")
        print("variant".padding(toLength: 18, withPad: " ", startingAt: 0)
              + distances.map { "d=\($0)".padding(toLength: 14, withPad: " ", startingAt: 0) }.joined())
        for line in lines {
            var row = line.variant.padding(toLength: 18, withPad: " ", startingAt: 0)
            for i in line.distances.indices {
                row += String(format: "%.2f (%.3f)", line.solvedFraction[i], line.meanScore[i])
                    .padding(toLength: 14, withPad: " ", startingAt: 0)
            }
            print(row)
        }
    }
}
