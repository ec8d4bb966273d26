import ArgumentParser
import Foundation
import SeqTraining
import SeqStudy

/// `nlp-vanish gradflow`: the gradient profile at initialisation, in seconds, no training.
struct GradFlow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradflow",
        abstract: "Measure how the gradient decays back through time and down through layers at initialisation.")

    @Option(help: "Variants activation:init (comma-separated).")
    var variants = "sigmoid:xavier,tanh:default,tanh:xavier,relu:default,relu:identity"
    @Option(help: "Depths (comma-separated, each 1…8).")
    var layers = "1,2,4"
    @Option(help: "Sequence length T (the recall task with d = T − 2).")
    var length = 200
    @Option(help: "Hidden units (1…1024).")
    var hidden = 64
    @Option(help: "Initialisations averaged per variant and depth (1…100).")
    var seeds = 3
    @Option(help: "Folder for gradflow.csv and gradflow.html (optional).")
    var out: String?
    @Option(help: "Text for the filler.")
    var corpus: String = CorpusLocation.defaultPath
    @OptionGroup var text: TextOptions

    func validate() throws {
        _ = try ListArgument.variants(variants)
        _ = try ListArgument.integers(layers, flag: "layers", range: 1...8)
        try requireRange(length, "length", 3...10_000)
        try requireRange(hidden, "hidden", 1...1024)
        try requireRange(seeds, "seeds", 1...100)
    }

    func run() throws {
        let filler = try StudyFiller(corpus: corpus, options: text)
        guard filler.filler.tokens.count > length else {
            throw ValidationError("--length \(length) is longer than the filler text (\(filler.filler.tokens.count) tokens)")
        }
        let flows = measureGradientFlow(variants: try ListArgument.variants(variants),
                                        depths: try ListArgument.integers(layers, flag: "layers", range: 1...8),
                                        hidden: hidden, length: length, seeds: seeds, filler: filler)
        printGradientFlowTable(flows, length: length)
        if let out {
            let folder = try StudyFolder(path: out)
            try folder.writeGradientFlow(flows, length: length)
            print("report: \(out)/gradflow.html")
        }
    }
}

/// Every variant at every depth, measured on independent threads, returned in depth-then-variant order.
func measureGradientFlow(variants: [Variant], depths: [Int], hidden: Int, length: Int, seeds: Int,
                         filler: StudyFiller) -> [GradientFlow] {
    let task = RecallTask(filler: filler.filler, distance: length - 2)
    let jobs = depths.flatMap { l in variants.map { (variant: $0, layers: l) } }.enumerated().map { $0 }
    let box = FlowBox(count: jobs.count)
    runInParallel(jobs, threads: ProcessInfo.processInfo.activeProcessorCount, work: { job in
        GradientFlow(variant: job.element.variant, layers: job.element.layers, hidden: hidden, task: task, seeds: seeds)
    }, finished: { job, flow in box.flows[job.offset] = flow })
    return box.flows.compactMap { $0 }
}

/// Results by job index (written under `runInParallel`'s delivery lock).
private final class FlowBox: @unchecked Sendable {
    var flows: [GradientFlow?]
    init(count: Int) { flows = Array(repeating: nil, count: count) }
}

/// g(k) at a few distances, the per-step decay, where float32 underflows, and first vs last layer.
func printGradientFlowTable(_ flows: [GradientFlow], length: Int) {
    let ks = [0, 1, 10, 50, length - 1].filter { $0 < length }
    print("gradient ‖∂L/∂h_{T−k}‖ at initialisation, first layer, T = \(length) (mean of seeds, batch 256)")
    print("variant".padding(toLength: 16, withPad: " ", startingAt: 0) + "L  "
          + ks.map { "k=\($0)".padding(toLength: 10, withPad: " ", startingAt: 0) }.joined()
          + "decay/step  zero from k   first÷last ‖∇W_hh‖")
    for f in flows {
        var row = f.variant.description.padding(toLength: 16, withPad: " ", startingAt: 0) + "\(f.layers)  "
        for k in ks { row += String(format: "%-10.2e", f.profile[0][k]) }
        row += (f.decayPerStep.map { String(format: "%.3f", $0) } ?? "–").padding(toLength: 12, withPad: " ", startingAt: 0)
        row += (f.underflowStep.map(String.init) ?? "–").padding(toLength: 14, withPad: " ", startingAt: 0)
        row += f.layers > 1 ? String(format: "%.3g", f.recurrentGradNorms[0] / f.recurrentGradNorms[f.layers - 1]) : "–"
        print(row)
    }
}

extension StudyFolder {
    func writeGradientFlow(_ flows: [GradientFlow], length: Int) throws {
        var csv = "variant,layers,layer,k,norm\n"
        for f in flows {
            for (l, profile) in f.profile.enumerated() {
                for (k, norm) in profile.enumerated() { csv += "\(f.variant),\(f.layers),\(l),\(k),\(StudyCSV.number(norm))\n" }
            }
        }
        try AtomicFile.write(Array(csv.utf8), to: path + "/gradflow.csv")
        let html = renderGradientFlowReport(
            profiles: flows.map {
                (variant: $0.variant.description, layers: $0.layers, profile: $0.profile,
                 firstLayerGradient: $0.recurrentGradNorms[0])
            }, length: length)
        try AtomicFile.write(Array(html.utf8), to: path + "/gradflow.html")
    }
}
