import XCTest
@testable import SeqStudy

/// The 95% Wilson interval against published values and against its defining equation.
final class WilsonIntervalTests: XCTestCase {
    /// Newcombe (1998), "Two-sided confidence intervals for the single proportion", the score method's column.
    func testPublishedValues() {
        for (k, n, lower, upper) in [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611),
                                     (1, 29, 0.0061, 0.1718)] {
            let interval = WilsonInterval(successes: k, trials: n)
            XCTAssertEqual(interval.lower, lower, accuracy: 5e-5, "\(k)/\(n)")
            XCTAssertEqual(interval.upper, upper, accuracy: 5e-5, "\(k)/\(n)")
        }
    }

    /// The bounds are the two roots p of (k/n − p)² = z² p (1 − p) / n; at 0/n and n/n one root is 0 or 1 exactly.
    func testBoundsSolveTheScoreEquation() {
        let z = WilsonInterval.z95
        for n in [1, 2, 3, 5, 8, 13, 100] {
            for k in 0...n {
                let interval = WilsonInterval(successes: k, trials: n)
                let observed = Double(k) / Double(n)
                for p in [interval.lower, interval.upper] {
                    XCTAssertEqual((observed - p) * (observed - p), z * z * p * (1 - p) / Double(n), accuracy: 1e-12, "\(k)/\(n)")
                }
                XCTAssertTrue(interval.lower <= observed && observed <= interval.upper)
                if k == 0 { XCTAssertEqual(interval.lower, 0) }
                if k == n { XCTAssertEqual(interval.upper, 1) }
            }
        }
    }

    /// What the study's seeds can say: 3/3 against 0/3 overlap, 5/5 against 0/5 do not.
    func testSeedCountsThatSeparate() {
        let three = (WilsonInterval(successes: 3, trials: 3), WilsonInterval(successes: 0, trials: 3))
        XCTAssertEqual(three.0.lower, 0.4385, accuracy: 1e-4)
        XCTAssertFalse(three.0.isAbove(three.1))
        let five = (WilsonInterval(successes: 5, trials: 5), WilsonInterval(successes: 0, trials: 5))
        XCTAssertTrue(five.0.isAbove(five.1))
        XCTAssertFalse(five.1.isAbove(five.0))
        XCTAssertEqual(WilsonInterval(successes: 0, trials: 0), WilsonInterval(lower: 0, upper: 1))
    }
}
