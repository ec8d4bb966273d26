import XCTest
@testable import SeqKernels

/// The element-wise kernels against their references; all of them are exact (one rounding per element in both).
final class ElementWiseTests: XCTestCase {
    func testScaleAddMultiplyAndAxpyMatchReference() {
        var rng = SplitMix64(seed: 70)
        for count in awkwardCounts {
            let n = max(1, count) + 1
            let x = randomTensor(n, &rng), y = randomTensor(n, &rng)
            // Offsets of one element: the kernels must not assume alignment.
            for (kernel, reference) in [
                ({ (x: Tensor, y: Tensor) in scale(y.data + 1, count: count, by: -1.7) },
                 { (x: Tensor, y: Tensor) in scaleReference(y.data + 1, count: count, by: -1.7) }),
                ({ (x: Tensor, y: Tensor) in add(x.data + 1, into: y.data, count: count) },
                 { (x: Tensor, y: Tensor) in addReference(x.data + 1, into: y.data, count: count) }),
                ({ (x: Tensor, y: Tensor) in add(x.data, scaledBy: 0.3, into: y.data + 1, count: count) },
                 { (x: Tensor, y: Tensor) in addReference(x.data, scaledBy: 0.3, into: y.data + 1, count: count) }),
                ({ (x: Tensor, y: Tensor) in multiply(x.data + 1, y.data, into: y.data, count: count) },
                 { (x: Tensor, y: Tensor) in multiplyReference(x.data + 1, y.data, into: y.data, count: count) }),
            ] {
                let actual = copyOf(y), expected = copyOf(y)
                kernel(x, actual)
                reference(x, expected)
                XCTAssertEqual(actual.array, expected.array, "count \(count)")
            }
        }
    }

    func testClipElementsMatchesReference() {
        var rng = SplitMix64(seed: 71)
        for count in awkwardCounts {
            let x = randomTensor(max(1, count), &rng, -2, 2), expected = copyOf(x)
            let clipped = clipElements(x.data, count: count, limit: 1)
            XCTAssertEqual(clipped, clipElementsReference(expected.data, count: count, limit: 1), "count \(count)")
            XCTAssertEqual(x.array, expected.array, "count \(count)")
        }
    }

    func testClipElementsHandComputed() {
        var x: [Float] = [-3, -1, 0.5, 1, 2, .nan, -0.0, 1.0001, 5, -5]
        XCTAssertEqual(clipElements(&x, count: 10, limit: 1), 5)
        XCTAssertEqual(Array(x[0..<5]), [-1, -1, 0.5, 1, 1])
        XCTAssert(x[5].isNaN)
        XCTAssertEqual(Array(x[6..<10]), [0, 1, 1, -1])
    }
}
