import Foundation
import SeqStudy
import SeqTraining

/// Every variant at every depth, measured on independent threads, returned in depth-then-variant order.
func measureGradientFlow(variants: [Variant], depths: [Int], hidden: Int, length: Int, seeds: Int,
                         filler: StudyFiller) -> [GradientFlow] {
    let task = RecallTask(filler: filler.filler, distance: length - 2)
    let jobs = depths.flatMap { l in variants.map { (variant: $0, layers: l) } }.enumerated().map { $0 }
    let gathered = Gathered<(index: Int, flow: GradientFlow)>()
    runInParallel(jobs, threads: ProcessInfo.processInfo.activeProcessorCount, work: { job in
        GradientFlow(variant: job.element.variant, layers: job.element.layers, hidden: hidden, task: task, seeds: seeds)
    }, finished: { job, flow in gathered.add((job.offset, flow)) })
    return gathered.items.sorted { $0.index < $1.index }.map(\.flow)
}

extension StudyFolder {
    func writeGradientFlow(_ flows: [GradientFlow], length: Int) throws {
        // quantity: h for ‖∂L/∂h_{T−k}‖, c for the LSTM's ‖∂L/∂c_{T−k}‖.
        var csv = "variant,layers,layer,k,quantity,norm\n"
        for f in flows {
            for (quantity, profiles) in [("h", f.profile), ("c", f.cellProfile)] {
                for (l, profile) in profiles.enumerated() {
                    for (k, norm) in profile.enumerated() {
                        csv += "\(f.variant),\(f.layers),\(l),\(k),\(quantity),\(StudyCSV.number(norm))\n"
                    }
                }
            }
        }
        try AtomicFile.write(Array(csv.utf8), to: path + "/gradflow.csv")
        let html = renderGradientFlowReport(
            profiles: flows.map {
                (variant: $0.variant.description, layers: $0.layers, profile: $0.profile,
                 firstLayerGradient: $0.recurrentGradNorms[0])
            },
            cellProfiles: flows.filter { !$0.cellProfile.isEmpty }.map {
                (variant: $0.variant.description, layers: $0.layers, profile: $0.cellProfile)
            },
            length: length)
        try AtomicFile.write(Array(html.utf8), to: path + "/gradflow.html")
    }
}
