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
        for sentence in verdictSentences(outcome.summary) { print("• " + sentence) }
        print("report: \(out)/report.html")
        if outcome.interrupted {
            printError("interrupted: \(outcome.results.count) finished runs are saved in \(out)/; run the same command to continue")
            throw ExitCode(ExitStatus.interrupted)
        }
    }
}
