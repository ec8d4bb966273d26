import Foundation
import XCTest
@testable import SeqKernels

/// Fused softmax + cross-entropy against the two-pass Double reference, and against values worked out by hand.
final class SoftmaxCrossEntropyTests: XCTestCase {
    /// Loss: relative 1e-6 of the total; gradient: 1e-6 · |gradScale| absolute (probabilities are in [0, 1]).
    func check(rows: Int, classes: Int, pad: Int, spread: Float, offset: Float, alias: Bool, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let ld = classes + pad
        let logits = randomTensor(rows * ld, &rng, offset - spread, offset + spread)
        let targets = (0..<rows).map { r in r % 5 == 4 ? -1 : Int32(rng.int(below: classes)) }
        let gradScale: Float = 0.25
        let expected = Tensor([rows * ld])
        let expectedLoss = softmaxCrossEntropyReference(logits: logits.data, ld: ld, rows: rows, classes: classes,
                                                        targets: targets, dlogits: expected.data,
                                                        gradScale: gradScale)
        let lossOnly = softmaxCrossEntropy(logits: logits.data, ld: ld, rows: rows, classes: classes,
                                           targets: targets, dlogits: nil, gradScale: gradScale)
        let gradient = alias ? logits : Tensor([rows * ld])
        let loss = softmaxCrossEntropy(logits: logits.data, ld: ld, rows: rows, classes: classes, targets: targets,
                                       dlogits: gradient.data, gradScale: gradScale)
        let context = "rows=\(rows) classes=\(classes) ld=\(ld) spread=\(spread) offset=\(offset) alias=\(alias)"
        XCTAssertEqual(loss, expectedLoss, accuracy: 1e-6 * max(1, abs(expectedLoss)), context)
        XCTAssertEqual(lossOnly, loss, context)
        var bad = Mismatches()
        for r in 0..<rows {
            for c in 0..<classes {
                let i = r * ld + c
                bad.check(abs(gradient[i] - expected[i]) <= 1e-6 * gradScale, "(\(r),\(c)) \(gradient[i]) vs \(expected[i])")
            }
        }
        XCTAssertEqual(bad.count, 0, "\(context): \(bad.summary)")
    }

    func testMatchesReferenceOverAwkwardWidths() {
        for (i, classes) in awkwardCounts.dropFirst().enumerated() {
            check(rows: 7, classes: classes, pad: i % 2 == 0 ? 0 : 3, spread: 4, offset: 0, alias: false,
                  seed: UInt64(20 + i))
            check(rows: 6, classes: classes, pad: 1, spread: 4, offset: 0, alias: true, seed: UInt64(40 + i))
        }
    }

    func testStableForLargeAndWidelySpreadLogits() {
        // exp would overflow on these logits without subtracting the row maximum, and underflow for most terms.
        check(rows: 5, classes: 96, pad: 0, spread: 50, offset: 1000, alias: false, seed: 60)
        check(rows: 5, classes: 33, pad: 2, spread: 200, offset: -5000, alias: true, seed: 61)
    }

    func testHandComputedValues() {
        // Two equal logits: loss ln 2, gradient (½ − 1, ½)·scale. Target −1: loss 0 and zero gradient.
        var logits: [Float] = [3, 3, 9, 9, 1, 2]
        let targets: [Int32] = [0, -1, 1]
        var gradient = [Float](repeating: .nan, count: 6)
        let loss = softmaxCrossEntropy(logits: logits, ld: 2, rows: 3, classes: 2, targets: targets,
                                       dlogits: &gradient, gradScale: 2)
        let p = 1 / (1 + Foundation.exp(1.0))          // softmax of [1, 2] at 1
        XCTAssertEqual(loss, Foundation.log(2) + Foundation.log(1 + Foundation.exp(-1.0)), accuracy: 1e-6)
        XCTAssertEqual(gradient[0], -1, accuracy: 1e-6)
        XCTAssertEqual(gradient[1], 1, accuracy: 1e-6)
        XCTAssertEqual(Array(gradient[2..<4]), [0, 0])
        XCTAssertEqual(gradient[4], Float(2 * p), accuracy: 1e-6)
        XCTAssertEqual(gradient[5], Float(2 * (1 - p) - 2), accuracy: 1e-6)

        softmaxRow(&logits, count: 2)
        XCTAssertEqual(Array(logits[0..<2]), [0.5, 0.5])
    }

    func testSoftmaxRowMatchesReference() {
        var rng = SplitMix64(seed: 62)
        for count in awkwardCounts {
            let x = randomTensor(max(1, count), &rng, -30, 30)
            let expected = copyOf(x)
            softmaxRow(x.data, count: count)
            softmaxRowReference(expected.data, count: count)
            var total: Double = 0
            for i in 0..<count {
                XCTAssertEqual(x[i], expected[i], accuracy: 1e-6 * max(expected[i], 1e-30) + 1e-12)
                total += Double(x[i])
            }
            if count > 0 { XCTAssertEqual(total, 1, accuracy: 1e-5) }
        }
    }
}
