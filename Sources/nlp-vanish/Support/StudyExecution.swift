import ArgumentParser
import Foundation
import SeqStudy

extension StudyOptions {
    /// The grid these options describe.
    var grid: StudyGrid {
        StudyGrid(task: task, distances: parsedDistances, variants: variantOptions.parsed, layers: parsedLayers,
                  hidden: variantOptions.hidden, seeds: seeds)
    }

    /// Runs every run of the grid (or shard), and `extra` runs beyond it, not already in `folder`, on `threads`
    /// threads, with a progress line; stops early (keeping finished runs) on Ctrl-C.
    func execute(into folder: StudyFolder, extra: [RunSpec] = []) throws
        -> (results: [RunResult], summary: StudySummary, interrupted: Bool) {
        try folder.keepSettings(sharedSettings)
        let filler = try self.filler.load()
        let longest = parsedDistances.max()!
        if task != .adding, filler.filler.tokens.count < longest + 100 {
            throw ValidationError("--distances: \(longest) is too long for the filler text (\(filler.filler.tokens.count) "
                                  + "tokens in \(self.filler.corpus)); the largest usable distance is \(filler.filler.tokens.count - 100)")
        }
        let planned = (try parsedShard().map { grid.shard($0.index, of: $0.count) } ?? grid.runs) + extra
        var results = try folder.readResults()
        let done = Set(results.map(\.id))
        let todo = planned.filter { !done.contains($0.id) }
        if !done.isEmpty { printError("\(planned.count - todo.count) of \(planned.count) runs already in \(folder.path); running the other \(todo.count)") }
        // The longest runs first, so the last minutes are not one long run on one core.
        let ordered = todo.sorted { ($0.distance * $0.layers, $0.id) > ($1.distance * $1.layers, $1.id) }
        let progress = Progress(total: ordered.count, label: "run", plainEvery: 1)
        let runner = StudyRunner(settings: settings)
        let gendersOnly = self.gendersOnly
        let collected = Gathered<RunResult>()
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
        results += collected.items
        var widest = grid
        widest.seeds = max(grid.seeds, extra.map(\.seed).max() ?? 0)
        let order = Dictionary(uniqueKeysWithValues: widest.runs.enumerated().map { ($0.element.id, $0.offset) })
        results.sort { (order[$0.id] ?? .max) < (order[$1.id] ?? .max) }
        // The grid as the rows have it (earlier invocations into the folder may have added to it), so the record
        // is true of every row it summarises.
        var configuration = configurationRecord
        configuration["distances"] = .integers(Set(results.map(\.distance)).sorted())
        configuration["variants"] = .texts(results.map(\.variant).uniqued())
        configuration["layers"] = .integers(Set(results.map(\.layers)).sorted())
        let seedsPerCell = Dictionary(grouping: results) { "\($0.variant)/\($0.layers)/\($0.distance)" }.values.map(\.count)
        configuration["seeds"] = seedsPerCell.min() == seedsPerCell.max() ? .integer(seedsPerCell.first ?? seeds)
            : .text("\(seedsPerCell.min()!) to \(seedsPerCell.max()!) per distance")
        let summary = StudySummary(results: results, configuration: configuration)
        try folder.writeViews(results, summary: summary)
        return (results, summary, Interrupt.requested && collected.count < ordered.count)
    }
}
