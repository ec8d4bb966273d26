import XCTest
@testable import SeqKernels

final class ReductionTests: XCTestCase {
    func testSumOfSquaresMatchesReference() {
        var rng = SplitMix64(seed: 50)
        for count in awkwardCounts + [1000, 4099] {
            let x = randomTensor(max(1, count), &rng, -3, 3)
            let expected = sumOfSquaresReference(x.data, count: count)
            // Both accumulate exact Float squares in Double; only the order differs.
            XCTAssertEqual(sumOfSquares(x.data, count: count), expected, accuracy: 1e-13 * max(expected, 1),
                           "count \(count)")
            // An unaligned start must not matter.
            if count > 1 {
                XCTAssertEqual(sumOfSquares(x.data + 1, count: count - 1),
                               sumOfSquaresReference(x.data + 1, count: count - 1), accuracy: 1e-13 * max(expected, 1))
            }
        }
    }

    func testSumOfSquaresHandComputedAndNonFinite() {
        XCTAssertEqual(sumOfSquares([3, 4], count: 2), 25)
        let big: Float = 1e30                          // its square overflows Float, not Double
        XCTAssertEqual(sumOfSquares([big, big], count: 2), 2 * Double(big) * Double(big))
        var x = [Float](repeating: 1, count: 40)
        XCTAssertEqual(sumOfSquares(x, count: 40), 40)
        x[37] = .nan
        XCTAssert(sumOfSquares(x, count: 40).isNaN)
        x[37] = .infinity
        XCTAssertEqual(sumOfSquares(x, count: 40), .infinity)
    }

    func testAddColumnSumsMatchesReference() {
        var rng = SplitMix64(seed: 51)
        for cols in awkwardCounts {
            for (rows, pad) in [(1, 0), (5, 3), (130, 1), (0, 0)] {
                let ld = cols + pad
                let x = randomTensor(max(1, rows * ld), &rng)
                let sums = randomTensor(max(1, cols), &rng), expected = copyOf(sums)
                addColumnSums(x.data, rows: rows, cols: cols, ld: ld, into: sums.data)
                addColumnSumsReference(x.data, rows: rows, cols: cols, ld: ld, into: expected.data)
                var bad = Mismatches()
                for c in 0..<cols {
                    var magnitude = abs(Double(expected[c]))
                    for r in 0..<rows { magnitude += Double(abs(x[r * ld + c])) }
                    bad.check(abs(Double(sums[c]) - Double(expected[c])) <= 1e-6 * magnitude,
                              "[\(c)] \(sums[c]) vs \(expected[c])")
                }
                XCTAssertEqual(bad.count, 0, "rows=\(rows) cols=\(cols) ld=\(ld): \(bad.summary)")
            }
        }
    }

    func testAddColumnSumsHandComputed() {
        var sums: [Float] = [10, 20, 30]
        addColumnSums([1, 2, 3, 99, 4, 5, 6, 99], rows: 2, cols: 3, ld: 4, into: &sums)
        XCTAssertEqual(sums, [15, 27, 39])
    }
}
