import ArgumentParser
import Foundation
import SeqStudy

/// `nlp-vanish` with no arguments (what `make run` runs): the default study on the bundled corpus — recall at
/// distances 5…160 for the five variants, 2 seeds, one layer — and the gradient flow of the same variants at
/// initialisation for depths 1…4. Prints the tables and the verdict and says where the report is.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "The default study and gradient-flow comparison (what `make run` runs).")

    @Option(help: "Output folder. [runs/main-<timestamp>]")
    var out: String?
    @Option(help: "Threads running independent runs.")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws { try requireRange(threads, "threads", 1...64) }

    func run() throws {
        Interrupt.install()
        let folderPath = out ?? "runs/main-" + TrainingRun.timestamp()
        let folder = try StudyFolder(path: folderPath)
        print("Gradient flow at initialisation (recall task, T = 200, hidden 64, 3 seeds)")
        let filler = try FillerOptions.parse([]).load()
        let flows = measureGradientFlow(variants: Variant.defaults, depths: [1, 2, 3, 4], hidden: 64, length: 200,
                                        seeds: 3, filler: filler)
        printGradientFlowTable(flows, length: 200)
        try folder.writeGradientFlow(flows, length: 200)

        print("\nStudy: recall at distances 5…160, five variants, 2 seeds, up to 2,000 Adam steps each")
        var options = try StudyOptions.parse([])
        options.threads = threads
        let outcome = try options.execute(into: folder)
        printStudyTable(outcome.summary, results: outcome.results)
        print("\nVerdict:")
        for sentence in verdictSentences(outcome.summary) { print("• " + sentence) }
        print("\nreport: \(folderPath)/report.html (gradient flow: \(folderPath)/gradflow.html)")
        if outcome.interrupted {
            printError("interrupted: finished runs are saved; continue with: nlp-vanish study --out \(folderPath)")
            throw ExitCode(ExitStatus.interrupted)
        }
    }
}
