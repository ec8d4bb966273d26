import ArgumentParser
import Foundation
import SeqStudy

/// `nlp-vanish report`: merges study folders (e.g. the shards of one grid) and renders one report.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge study folders (shards) and write the CSV files, summary.json and report.html.")

    @Argument(help: "Study folders, each holding a results.jsonl.")
    var folders: [String]
    @Option(help: "Folder for the merged output (may be one of the inputs).")
    var out = "runs/report"

    func validate() throws {
        guard !folders.isEmpty else { throw ValidationError("give at least one study folder") }
    }

    func run() throws {
        var merged = [String: RunResult]()
        var order = [String]()
        for path in folders {
            guard FileManager.default.fileExists(atPath: path + "/results.jsonl") else {
                throw UsageFailure("\(path): no results.jsonl here (not a study folder, or no run has finished)")
            }
            for r in try StudyFolder(reading: path).readResults() {
                if let earlier = merged[r.id] {
                    guard earlier == r else { throw UsageFailure("\(path): run \(r.id) differs from the same run in another folder") }
                    continue
                }
                merged[r.id] = r
                order.append(r.id)
            }
        }
        let results = order.map { merged[$0]! }.sorted(by: StudyOrder.precedes)
        let target = try StudyFolder(path: out)
        if !folders.contains(out) { try target.replaceResults(results) }
        let summary = StudySummary(results: results, configuration: ["merged_from": .texts(folders)])
        try target.writeViews(results, summary: summary)
        printStudyTable(summary, results: results)
        for sentence in verdictSentences(summary) { print("• " + sentence) }
        print("\(results.count) runs from \(folders.count) folder\(folders.count == 1 ? "" : "s"); report: \(out)/report.html")
    }
}

/// The order reports list runs in: depth, distance, then variant — the main job's eight in its order, any other
/// after them by name — then seed, from fields alone, so merged shards sort the same whatever order they ran in.
enum StudyOrder {
    private static let known = Dictionary(uniqueKeysWithValues: Variant.controls.enumerated().map { ($0.element.description, $0.offset) })

    static func precedes(_ a: RunResult, _ b: RunResult) -> Bool {
        let (ra, rb) = (known[a.variant] ?? known.count, known[b.variant] ?? known.count)
        return (a.layers, a.distance, ra, a.variant, a.seed) < (b.layers, b.distance, rb, b.variant, b.seed)
    }
}
