import XCTest
@testable import SeqModel

final class RandomTests: XCTestCase {
    func testSameSeedSameStreamAndRestore() {
        var a = Xoshiro256StarStar(seed: 123), b = Xoshiro256StarStar(seed: 123), c = Xoshiro256StarStar(seed: 124)
        let xs = (0..<100).map { _ in a.next() }
        XCTAssertEqual(xs, (0..<100).map { _ in b.next() })
        XCTAssertNotEqual(xs, (0..<100).map { _ in c.next() })
        var restored = Xoshiro256StarStar(state: a.stateWords)
        XCTAssertEqual(a.next(), restored.next())
    }

    func testUniformAndBelowStayInRange() {
        var rng = Xoshiro256StarStar(seed: 1)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 {
            let f = rng.nextFloat()
            XCTAssert(f >= 0 && f < 1)
            counts[rng.below(7)] += 1
        }
        for c in counts { XCTAssertEqual(Double(c), 10_000, accuracy: 500) }   // ±5σ-ish
    }

    func testNormalMoments() {
        var rng = Xoshiro256StarStar(seed: 2)
        let xs = (0..<100_000).map { _ in rng.normal() }
        let mean = xs.reduce(0, +) / Double(xs.count)
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count)
        XCTAssertEqual(mean, 0, accuracy: 0.02)
        XCTAssertEqual(variance, 1, accuracy: 0.02)
    }
}
