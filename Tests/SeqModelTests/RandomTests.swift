import XCTest
@testable import SeqModel

final class RandomTests: XCTestCase {
    /// Known answers of the published algorithms, so "same bits on every machine" rests on the algorithm and
    /// not on this implementation agreeing with itself: xoshiro256** from the state {1, 2, 3, 4} (its first
    /// output is rotl(2·5, 7)·9 = 11520), SplitMix64 from 0 (0xE220A8397B1DCDAF first), and the two chained as
    /// `init(seed:)` chains them. The values come from a direct transcription of the reference C code.
    func testKnownAnswers() {
        var fromState = Xoshiro256StarStar(state: [1, 2, 3, 4])
        XCTAssertEqual((0..<6).map { _ in fromState.next() },
                       [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240, 1_216_172_134_540_287_360,
                        607_988_272_756_665_600])
        XCTAssertEqual(Xoshiro256StarStar(seed: 0).stateWords,
                       [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F, 0xF88B_B8A8_724C_81EC])
        var seeded = Xoshiro256StarStar(seed: 42)
        XCTAssertEqual((0..<6).map { _ in seeded.next() },
                       [1_546_998_764_402_558_742, 6_990_951_692_964_543_102, 12_544_586_762_248_559_009,
                        17_057_574_109_182_124_193, 18_295_552_978_065_317_476, 14_199_186_830_065_750_584])
    }

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
