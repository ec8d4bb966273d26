import ArgumentParser
import Foundation
import SeqStudy

/// `nlp-vanish` with no arguments (what `make run` runs): the gradient flow of the eight control variants at
/// initialisation for depths 1…4, then the study on the bundled corpus — recall at distances 5…160, one layer,
/// 3 seeds per cell, then 5 where the outcome is uncertain. Prints the tables, how the runs were spent, the
/// verdict, and where the report is.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "The default study and gradient-flow comparison (what `make run` runs).")

    @Option(help: "Output folder. [runs/main-<timestamp>]")
    var out: String?
    @Option(help: "Threads running independent runs.")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    /// Seeds at every cell, and where the first round leaves the outcome uncertain.
    static let seeds = 3, uncertainSeeds = 5

    func validate() throws { try requireRange(threads, "threads", 1...64) }

    func run() throws {
        Interrupt.install()
        let folderPath = out ?? "runs/main-" + TrainingRun.timestamp()
        let folder = try StudyFolder(path: folderPath)
        print("Gradient flow at initialisation (recall task, T = 200, hidden 64, 3 seeds)")
        let filler = try FillerOptions.parse([]).load()
        let flows = measureGradientFlow(variants: Variant.controls, depths: [1, 2, 3, 4], hidden: 64, length: 200,
                                        seeds: 3, filler: filler)
        printGradientFlowTable(flows, length: 200)
        try folder.writeGradientFlow(flows, length: 200)

        print("\nStudy: recall at distances 5…160, eight variants, \(Self.seeds) seeds, up to 2,000 Adam steps each; "
              + "then \(Self.uncertainSeeds) seeds where the outcome is uncertain")
        var options = try StudyOptions.parse(["--variants", Variant.controls.map(\.description).joined(separator: ","),
                                              "--seeds", "\(Self.seeds)"])
        options.threads = threads
        let first = try options.execute(into: folder)
        var outcome = first
        if !first.interrupted {
            let extra = AdaptiveSeeds.extraRuns(summary: first.summary, grid: options.grid, seeds: Self.uncertainSeeds)
            outcome = try options.execute(into: folder, extra: extra)
            printBudget(first: first.results, all: outcome.results)
        }
        printStudyTable(outcome.summary, results: outcome.results)
        print("\nVerdict:")
        for sentence in verdictSentences(outcome.summary) { print("• " + sentence) }
        print("\nreport: \(folderPath)/report.html (gradient flow: \(folderPath)/gradflow.html)")
        if outcome.interrupted {
            printError("interrupted: finished runs are saved; continue with: nlp-vanish demo --out \(folderPath)")
            throw ExitCode(ExitStatus.interrupted)
        }
    }

    /// How the runs were spent: the first round everywhere, the second at the uncertain cells, in runs and in
    /// seconds of training summed over runs.
    private func printBudget(first: [RunResult], all: [RunResult]) {
        let firstIDs = Set(first.map(\.id))
        let second = all.filter { !firstIDs.contains($0.id) }
        func seconds(_ runs: [RunResult]) -> String { String(format: "%.0f s", runs.map(\.seconds).reduce(0, +)) }
        let cells = Set(first.map { "\($0.variant) d=\($0.distance)" }).count
        print("\nBudget: \(first.count) runs (\(seconds(first)) of training) for \(Self.seeds) seeds at all \(cells) cells; "
              + "\(second.count) more (\(seconds(second))) for seeds \(Self.seeds + 1)–\(Self.uncertainSeeds) where the "
              + "outcome was uncertain" + (second.isEmpty ? "." : ":"))
        let uncertain = Dictionary(grouping: second, by: \.variant).mapValues { Set($0.map(\.distance)).sorted() }
        for variant in all.map(\.variant).uniqued() {
            guard let distances = uncertain[variant] else { continue }
            print("  \(variant): d = " + distances.map(String.init).joined(separator: ", "))
        }
    }
}
