/// Where a first round of seeds leaves a study's answer open, and the runs that would settle it: more seeds
/// where outcomes change, none where every seed agreed. Deterministic (counts, never clocks), so the same
/// study adds the same runs everywhere.
public enum AdaptiveSeeds {
    /// The distances of one line whose outcome is uncertain: seeds disagreed there (0 < solved < runs), or it
    /// borders a change of solve rate whose 95% intervals still overlap (a cliff the seeds do not yet place).
    public static func uncertainDistances(_ line: StudySummary.Line) -> [Int] {
        var uncertain = Set(line.distances.indices.filter { line.solved[$0] > 0 && line.solved[$0] < line.runs[$0] })
        for i in line.distances.indices.dropLast() where line.solvedFraction[i] != line.solvedFraction[i + 1] {
            let (a, b) = (line.solvedInterval[i], line.solvedInterval[i + 1])
            if !a.isAbove(b) && !b.isAbove(a) { uncertain.formUnion([i, i + 1]) }
        }
        return uncertain.sorted().map { line.distances[$0] }
    }

    /// The runs that bring every uncertain distance of every line in `summary` up to `seeds` seeds, for the
    /// variants of `grid` (seed numbers continue after those already run).
    public static func extraRuns(summary: StudySummary, grid: StudyGrid, seeds: Int) -> [RunSpec] {
        summary.lines.flatMap { line -> [RunSpec] in
            guard let variant = grid.variants.first(where: { $0.description == line.variant }) else { return [] }
            return uncertainDistances(line).flatMap { distance -> [RunSpec] in
                let ran = line.runs[line.distances.firstIndex(of: distance)!]
                guard ran < seeds else { return [] }
                return (ran + 1...seeds).map {
                    RunSpec(task: grid.task, variant: variant, layers: line.layers, hidden: grid.hidden,
                            distance: distance, seed: $0)
                }
            }
        }
    }
}
