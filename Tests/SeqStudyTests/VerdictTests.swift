import XCTest
@testable import SeqStudy

/// The study's conclusion is a rule over the solved fractions per distance; one constructed table per class,
/// and the borders between classes.
final class VerdictTests: XCTestCase {
    private let d = [5, 10, 20, 40, 80, 160]

    private func classify(_ fractions: [Double]) -> VariantFinding.Pattern {
        VariantFinding.classify(distances: d, solvedFraction: fractions)
    }

    func testSolvedEveryDistance() {
        XCTAssertEqual(classify([1, 1, 1, 1, 1, 1]), .solvedEvery)
    }

    func testSolvedNone() {
        XCTAssertEqual(classify([0, 0, 0, 0, 0, 0]), .solvedNone)
    }

    func testFailsFromAClearThreshold() {
        XCTAssertEqual(classify([1, 1, 1, 0, 0, 0]), .failsFrom(distance: 40))
        XCTAssertEqual(classify([1, 0, 0, 0, 0, 0]), .failsFrom(distance: 10))
    }

    func testFadesWhenFewerSeedsSolveAsDistanceGrows() {
        XCTAssertEqual(classify([1, 0.5, 0.5, 0, 0, 0]), .fades(noneFrom: 40))
        // Never reaching zero, or starting below one, is still fading, not a threshold.
        XCTAssertEqual(classify([1, 1, 1, 1, 0.5, 0.5]), .fades(noneFrom: nil))
        XCTAssertEqual(classify([0.5, 0, 0, 0, 0, 0]), .fades(noneFrom: 10))
    }

    func testSeedDependentWhenALongerDistanceDoesBetter() {
        XCTAssertEqual(classify([1, 0.5, 1, 1, 1, 1]), .seedDependent)
        XCTAssertEqual(classify([0, 0, 0, 0.5, 0, 0]), .seedDependent)
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
        XCTAssertEqual(summary.findings[1].pattern, .fades(noneFrom: 20))
        XCTAssertEqual(summary.findings[1].solvedRuns, [2, 1, 0])
        XCTAssertEqual(summary.findings[1].seeds, 2)
        XCTAssertEqual(summary.findings[1].best, 1.0)
        XCTAssertEqual(summary.initialGradient?.distance, 20)
        XCTAssertEqual(summary.initialGradient?.ratios.map(\.ratio), [0.5, 0.5])
    }
}
