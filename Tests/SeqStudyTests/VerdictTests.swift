import XCTest
@testable import SeqStudy

/// The study's conclusion is a rule over the 95% Wilson intervals of the solve rate per distance; one
/// constructed table per class, and the borders between classes (where the seeds' number decides).
final class VerdictTests: XCTestCase {
    private let d = [5, 10, 20, 40, 80, 160]

    /// Solved counts per distance, each out of `seeds` runs.
    private func classify(_ solved: [Int], seeds: Int) -> VariantFinding.Pattern {
        VariantFinding.classify(distances: d, solved: solved, runs: Array(repeating: seeds, count: d.count))
    }

    func testSolvedEveryDistance() {
        XCTAssertEqual(classify([3, 3, 3, 3, 3, 3], seeds: 3), .solvedEvery)
    }

    func testSolvedNone() {
        XCTAssertEqual(classify([0, 0, 0, 0, 0, 0], seeds: 3), .solvedNone)
    }

    func testFailsFromACliffResolvedOnlyWithEnoughSeeds() {
        XCTAssertEqual(classify([5, 5, 5, 0, 0, 0], seeds: 5), .failsFrom(distance: 40, resolved: true))
        // 3/3 against 0/3: [0.44, 1] and [0, 0.56] overlap, so the cliff is there but not placed beyond chance.
        XCTAssertEqual(classify([3, 3, 3, 0, 0, 0], seeds: 3), .failsFrom(distance: 40, resolved: false))
        // Mixed seed counts: more seeds on both sides of the cliff resolve it.
        XCTAssertEqual(VariantFinding.classify(distances: d, solved: [3, 3, 5, 0, 0, 0], runs: [3, 3, 5, 5, 3, 3]),
                       .failsFrom(distance: 40, resolved: true))
    }

    func testFadesWhenAShorterDistanceIsBetterBeyondItsInterval() {
        XCTAssertEqual(classify([8, 4, 4, 0, 0, 0], seeds: 8), .fades(noneFrom: 40))
        // Never reaching zero is still fading.
        XCTAssertEqual(classify([8, 8, 8, 8, 1, 1], seeds: 8), .fades(noneFrom: nil))
        // A rise inside the intervals does not break the fade.
        XCTAssertEqual(classify([8, 3, 5, 0, 0, 0], seeds: 8), .fades(noneFrom: 40))
    }

    func testSeedDependentWhenALongerDistanceIsBetterBeyondItsInterval() {
        XCTAssertEqual(classify([8, 0, 8, 8, 8, 8], seeds: 8), .seedDependent)
        XCTAssertEqual(classify([0, 0, 0, 8, 0, 0], seeds: 8), .seedDependent)
    }

    func testUndecidedWhenNoTwoDistancesSeparate() {
        // The same shapes as the fade and the rise above, with too few seeds to tell them from noise.
        XCTAssertEqual(classify([2, 1, 1, 0, 0, 0], seeds: 2), .undecided)
        XCTAssertEqual(classify([2, 1, 2, 2, 2, 2], seeds: 2), .undecided)
        XCTAssertEqual(classify([3, 3, 2, 3, 3, 2], seeds: 3), .undecided)
    }

    /// The summary carries one finding per line, with the counts the sentences are worded from.
    func testSummaryFindingsFromRuns() throws {
        func run(_ variant: String, _ distance: Int, _ seed: Int, solved: Bool) throws -> RunResult {
            let parts = variant.split(separator: ":")
            let fields: [String: Any] = [
                "id": "\(variant)/\(distance)/\(seed)", "task": "recall", "activation": String(parts[0]),
                "initialization": String(parts[1]), "layers": 1, "hidden": 8, "distance": distance, "seed": seed,
                "learningRate": 0.001, "steps": 100, "solved": solved, "testAccuracy": solved ? 1.0 : 0.2,
                "testLoss": 1.0, "chance": 0.125, "sigmaMaxFinal": [1.0], "recurrentGradNormInit": [1.0],
                "deadFraction": 0, "saturatedFraction": 0, "clipEvents": 0, "diverged": false, "seconds": 1,
                "curve": [[String: Any]](), "profiles": [[String: Any]](), "gradRatioInit": distance == 20 ? 0.5 : 0.9,
            ]
            return try JSONDecoder().decode(RunResult.self, from: JSONSerialization.data(withJSONObject: fields))
        }
        var runs = [RunResult]()
        for distance in [5, 10, 20] {
            for seed in 1...2 {
                runs.append(try run("relu:identity", distance, seed, solved: true))
                runs.append(try run("tanh:default", distance, seed, solved: distance == 5 || (distance == 10 && seed == 1)))
            }
        }
        let summary = StudySummary(results: runs, configuration: [:])
        XCTAssertEqual(summary.findings.map(\.variant), ["relu:identity", "tanh:default"])
        XCTAssertEqual(summary.findings[0].pattern, .solvedEvery)
        // 2/2, 1/2, 0/2: the intervals overlap, so two seeds cannot say it fades.
        XCTAssertEqual(summary.findings[1].pattern, .undecided)
        XCTAssertEqual(summary.findings[1].solvedRuns, [2, 1, 0])
        XCTAssertEqual(summary.findings[1].runsPerDistance, [2, 2, 2])
        XCTAssertEqual(summary.lines[1].solvedInterval[2], WilsonInterval(successes: 0, trials: 2))
        XCTAssertEqual(summary.findings[1].best, 1.0)
        XCTAssertEqual(summary.initialGradient?.distance, 20)
        XCTAssertEqual(summary.initialGradient?.ratios.map(\.ratio), [0.5, 0.5])
    }

    /// The second round's runs: seeds up to five where seeds disagreed or a change of rate is unresolved.
    func testAdaptiveSeedsGoWhereTheOutcomeIsUncertain() throws {
        func line(_ solved: [Int], runs: [Int]) -> StudySummary.Line {
            let distances = Array(d.prefix(solved.count))
            return StudySummary.Line(
                variant: "tanh:xavier", layers: 1, distances: distances, runs: runs, solved: solved,
                solvedFraction: zip(solved, runs).map { Double($0) / Double($1) },
                solvedInterval: zip(solved, runs).map { WilsonInterval(successes: $0, trials: $1) },
                meanScore: solved.map { _ in 0 }, stepsToSolve: solved.map { _ in nil }, largestSolvedByAll: nil)
        }
        // A clean 3/3 → 0/3 cliff at 20: both sides; a mixed cell: itself and its changed neighbours.
        XCTAssertEqual(AdaptiveSeeds.uncertainDistances(line([3, 3, 0, 0], runs: [3, 3, 3, 3])), [10, 20])
        XCTAssertEqual(AdaptiveSeeds.uncertainDistances(line([3, 2, 3, 3], runs: [3, 3, 3, 3])), [5, 10, 20])
        // Resolved cliffs and agreeing seeds need nothing more.
        XCTAssertEqual(AdaptiveSeeds.uncertainDistances(line([5, 5, 0, 0], runs: [5, 5, 5, 5])), [])
        XCTAssertEqual(AdaptiveSeeds.uncertainDistances(line([3, 3, 3, 3], runs: [3, 3, 3, 3])), [])

        let grid = StudyGrid(task: .recall, distances: [5, 10, 20, 40], variants: [Variant("tanh:xavier")!],
                             layers: [1], hidden: 8, seeds: 3)
        let summary = StudySummary(task: .recall, configuration: [:], lines: [line([3, 3, 0, 0], runs: [3, 3, 3, 3])],
                                   findings: [], initialGradient: nil)
        let extra = AdaptiveSeeds.extraRuns(summary: summary, grid: grid, seeds: 5)
        XCTAssertEqual(extra.map(\.id), ["recall/tanh:xavier/L1/H8/d10/s4", "recall/tanh:xavier/L1/H8/d10/s5",
                                         "recall/tanh:xavier/L1/H8/d20/s4", "recall/tanh:xavier/L1/H8/d20/s5"])
    }
}
