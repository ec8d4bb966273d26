import XCTest
@testable import SeqKernels

/// The activation kernels against their Double-precision scalar references, on strided blocks of awkward widths.
final class ActivationKernelTests: XCTestCase {
    /// Forward tolerance: the approximation bounds of VectorMath (absolute); relu and identity are exact.
    func forwardTolerance(_ act: Activation) -> Float {
        switch act {
        case .tanh, .sigmoid: 1e-7
        case .relu, .identity: 0
        }
    }

    func testForwardMatchesReference() {
        forEachKernelWidth { checkForwardAgainstReference(width: $0) }
    }

    func checkForwardAgainstReference(width: KernelWidth) {
        var rng = SplitMix64(seed: 10)
        for act in Activation.allCases {
            for cols in awkwardCounts {
                for (rows, pad) in [(1, 0), (3, 5)] {
                    let ld = cols + pad
                    let x = randomTensor(max(1, rows * ld), &rng, -6, 6)
                    let bias = cols % 2 == 0 ? randomTensor(max(1, cols), &rng) : nil
                    let expected = copyOf(x)
                    biasActivationForward(act, x.data, rows: rows, cols: cols, ld: ld, bias: bias?.data, width: width)
                    biasActivationForwardReference(act, expected.data, rows: rows, cols: cols, ld: ld,
                                                   bias: bias?.data)
                    var bad = Mismatches()
                    for i in 0..<x.count {
                        let inBlock = ld > 0 && i % ld < cols
                        let tolerance = inBlock ? forwardTolerance(act) : 0   // padding must be untouched
                        bad.check(abs(x[i] - expected[i]) <= tolerance, "[\(i)] \(x[i]) vs \(expected[i])")
                    }
                    XCTAssertEqual(bad.count, 0,
                                   "\(act) rows=\(rows) cols=\(cols) ld=\(ld) \(width.name): \(bad.summary)")
                }
            }
        }
    }

    /// At every width this CPU has, tanh and sigmoid give the bits of the eight-lane vector functions applied to
    /// x + bias (so sixteen lanes give the eight-lane bits): on a dense sweep of [−20, 20], the special values, a
    /// row length that leaves a ragged end at both widths, and with a bias.
    func testEveryWidthGivesTheEightLaneBits() {
        let special: [Float] = [0, -0.0, .infinity, -.infinity, .nan, 0.625, -0.625, 0.62499997, 88.8, -104,
                                .leastNonzeroMagnitude, -.greatestFiniteMagnitude]
        // The last 16 values put a −0 where the sixteen-lane loop's ragged end meets the eight-lane loop's body.
        let end: [Float] = [1, -1, 0.5, -0.0, -0.5, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6, 7]
        let inputs = special + VectorMathTests.sweep + end
        let cols = inputs.count                 // 655,389: ≡ 13 (mod 16) and 5 (mod 8), a ragged end at both
        let bias = (0..<cols).map { Float($0 % 7) * 0.125 - 0.375 }
        for (act, lanes) in [(Activation.tanh, vectorTanh), (.sigmoid, vectorSigmoid)] {
            for withBias in [false, true] {
                let shifted = withBias ? (0..<cols).map { inputs[$0] + bias[$0] } : inputs   // −0 stays −0
                let expected = eightLanesAtATime(shifted, lanes)
                forEachKernelWidth { width in
                    var x = inputs
                    biasActivationForward(act, &x, rows: 1, cols: cols, ld: cols, bias: withBias ? bias : nil,
                                          width: width)
                    var bad = Mismatches()
                    for i in 0..<cols {
                        bad.check(x[i].bitPattern == expected[i].bitPattern,
                                  "[\(i)] x=\(inputs[i]) \(x[i]) vs \(expected[i])")
                    }
                    XCTAssertEqual(bad.count, 0, "\(act) bias=\(withBias) \(width.name): \(bad.summary)")
                }
            }
        }
    }

    func testForwardHandComputed() {
        var x: [Float] = [-2, -0.5, 0, 3, 1, 2]
        let bias: [Float] = [1, 0.5, 0]
        biasActivationForward(.relu, &x, rows: 2, cols: 3, ld: 3, bias: bias)
        XCTAssertEqual(x, [0, 0, 0, 4, 1.5, 2])
        var y: [Float] = [0, 0]
        biasActivationForward(.sigmoid, &y, rows: 1, cols: 2, ld: 2, bias: nil)
        XCTAssertEqual(y, [0.5, 0.5])
    }

    func testBackwardMatchesReferenceIncludingInPlace() {
        var rng = SplitMix64(seed: 11)
        for act in Activation.allCases {
            for count in awkwardCounts {
                // Outputs in the activation's range, where |act'| ≤ 1.
                let y = randomTensor(max(1, count), &rng, act == .sigmoid || act == .relu ? 0 : -1, 1)
                if act == .relu { for i in stride(from: 0, to: count, by: 3) { y[i] = 0 } }
                let dy = randomTensor(max(1, count), &rng, -3, 3)
                let dz = Tensor([max(1, count)]), expected = Tensor([max(1, count)])
                activationBackward(act, y: y.data, dy: dy.data, dz: dz.data, count: count)
                activationBackwardReference(act, y: y.data, dy: dy.data, dz: expected.data, count: count)
                activationBackward(act, y: y.data, dy: dy.data, dz: dy.data, count: count)   // dz aliases dy
                var bad = Mismatches()
                for i in 0..<count {
                    let tolerance = 4e-7 * abs(expected[i]) + 1e-12
                    bad.check(abs(dz[i] - expected[i]) <= tolerance, "dz[\(i)] \(dz[i]) vs \(expected[i])")
                    bad.check(dy[i] == dz[i], "in place [\(i)] \(dy[i]) vs \(dz[i])")
                }
                XCTAssertEqual(bad.count, 0, "\(act) count=\(count): \(bad.summary)")
            }
        }
    }

    func testBackwardHandComputed() {
        let y: [Float] = [0.5, -0.5, 0, 2], dy: [Float] = [2, 2, 2, 2]
        var dz = [Float](repeating: 0, count: 4)
        activationBackward(.tanh, y: y, dy: dy, dz: &dz, count: 4)
        XCTAssertEqual(dz, [1.5, 1.5, 2, -6])
        activationBackward(.sigmoid, y: y, dy: dy, dz: &dz, count: 4)
        XCTAssertEqual(dz, [0.5, -1.5, 0, -4])
        activationBackward(.relu, y: y, dy: dy, dz: &dz, count: 4)
        XCTAssertEqual(dz, [2, 0, 0, 2])
        activationBackward(.identity, y: y, dy: dy, dz: &dz, count: 4)
        XCTAssertEqual(dz, dy)
    }
}
