import ArgumentParser
import Foundation
import SeqTraining
import SeqStudy

/// `nlp-vanish gradflow`: the gradient profile at initialisation, in seconds, no training.
struct GradFlow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradflow",
        abstract: "Measure how the gradient decays back through time and down through layers at initialisation.")

    @OptionGroup var variantOptions: VariantOptions
    @Option(help: "Depths (comma-separated, each 1…8).")
    var layers = "1,2,4"
    @Option(help: "Sequence length T (the recall task with d = T − 2).")
    var length = 200
    @Option(help: "Initialisations averaged per variant and depth (1…100).")
    var seeds = 3
    @Option(help: "Folder for gradflow.csv and gradflow.html (optional).")
    var out: String?
    @OptionGroup var filler: FillerOptions

    func validate() throws {
        try variantOptions.check()
        _ = try ListArgument.integers(layers, flag: "layers", range: 1...8)
        try requireRange(length, "length", 3...10_000)
        try requireRange(seeds, "seeds", 1...100)
    }

    func run() throws {
        let filler = try self.filler.load()
        guard filler.filler.tokens.count > length else {
            throw ValidationError("--length \(length) is longer than the filler text (\(filler.filler.tokens.count) tokens)")
        }
        let flows = measureGradientFlow(variants: variantOptions.parsed,
                                        depths: try ListArgument.integers(layers, flag: "layers", range: 1...8),
                                        hidden: variantOptions.hidden, length: length, seeds: seeds, filler: filler)
        printGradientFlowTable(flows, length: length)
        if let out {
            let folder = try StudyFolder(path: out)
            try folder.writeGradientFlow(flows, length: length)
            print("report: \(out)/gradflow.html")
        }
    }
}
