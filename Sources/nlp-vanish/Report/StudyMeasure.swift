import Foundation
import SeqStudy

/// What a study's runs are scored by, and the words for it: accuracy against chance for the classification
/// tasks, mean squared error against the baseline (always guessing the mean sum) for "adding".
struct StudyMeasure {
    let regression: Bool

    init(task: TaskKind) { regression = task == .adding }

    var name: String { regression ? "Test MSE" : "Test accuracy" }

    func score(_ run: RunResult) -> Double { regression ? run.testLoss : run.testAccuracy ?? .nan }

    func curveValue(_ point: CurvePoint) -> Double { regression ? point.loss : point.accuracy ?? .nan }

    func axis() -> SVGPlot.Axis { regression ? .init(label: name) : .init(label: name, bounds: 0...1) }

    /// Chance or the baseline; every run of a study has the same task, so the first run's value is the value.
    func reference(_ runs: [RunResult]) -> SVGPlot.ReferenceLine? {
        runs.first.map {
            .init(y: $0.chance, label: (regression ? "baseline MSE " : "chance ") + String(format: "%.3g", $0.chance))
        }
    }

    var distanceReading: String {
        let score = regression ? """
            A line is one variant's test mean squared error (lower is better), averaged over seeds; the faint dots \
            behind it are the individual seeds. The dashed line is the baseline: the error of a network that ignores \
            the two marked numbers and always guesses the average sum.
            """ : """
            A line is one variant's test accuracy, averaged over seeds; the faint dots behind it are the individual \
            seeds. The dashed line is chance: what a network that never learned to use the key token scores.
            """
        return "Each panel is one network depth. " + score + """
             The distance is how many steps separate the information from the moment it is needed. A variant whose \
            gradient survives that many steps stays good as the distance grows; where its line meets the dashed line \
            is roughly how far back it can learn.
            """
    }

    var curveReading: String {
        let progress = regression ? """
            Test mean squared error measured during training, one line per seed. A run that learns the task falls \
            well below the dashed baseline, often after a long flat stretch at it.
            """ : """
            Test accuracy measured during training, one line per seed. A run that learns the dependency climbs from \
            the chance line towards 1, often after a long flat stretch at chance.
            """
        return progress + """
             Runs stop as soon as they are solved, so a short line is a success, not a crash. A line that never \
            leaves the dashed one never received a usable gradient from the key.
            """
    }
}
