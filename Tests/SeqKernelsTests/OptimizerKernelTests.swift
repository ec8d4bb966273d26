import Foundation
import XCTest
@testable import SeqKernels

/// Each optimizer kernel against values worked out by hand, and against its scalar reference over several steps
/// on awkward counts. Tolerance 1e-6 · (1 + |expected|): parameters and states are O(1) here, and a few Float
/// roundings of O(1) terms compound over the steps; a relative bound alone would fail wherever p − lr·step
/// cancels to nearly zero. (β = 0.9 and 0.999 are not exact in Float, so the hand-computed values carry
/// tolerances of that order too.)
final class OptimizerKernelTests: XCTestCase {
    func assertClose(_ actual: Tensor, _ expected: Tensor, _ count: Int, _ what: String,
                     file: StaticString = #filePath, line: UInt = #line) {
        var bad = Mismatches()
        for i in 0..<count {
            bad.check(abs(actual[i] - expected[i]) <= 1e-6 * (1 + abs(expected[i])),
                      "[\(i)] \(actual[i]) vs \(expected[i])")
        }
        XCTAssertEqual(bad.count, 0, "\(what): \(bad.summary)", file: file, line: line)
    }

    func testAdamHandComputed() {
        // Step 1: m = 0.1·g, v = 0.001·g², so m̂ = g and v̂ = g²: the step is lr·g/(|g| + ε) ≈ lr·sign(g).
        var p: [Float] = [1, 1], m: [Float] = [0, 0], v: [Float] = [0, 0]
        adamUpdate(param: &p, grad: [0.5, -2], m: &m, v: &v, count: 2, lr: 0.1, beta1: 0.9, beta2: 0.999,
                   eps: 1e-8, step: 1)
        XCTAssertEqual(p[0], 0.9, accuracy: 1e-7)
        XCTAssertEqual(p[1], 1.1, accuracy: 1e-7)
        XCTAssertEqual(m[0], 0.05, accuracy: 1e-7)
        XCTAssertEqual(m[1], -0.2, accuracy: 1e-7)
        XCTAssertEqual(v[0], 0.00025, accuracy: 1e-8)
        // Step 2 with g = 0.5 again on element 0: m = 0.095, v = 0.0004997500, m̂ = 0.095/0.19 = 0.5,
        // v̂ = 0.00049975/0.001999 = 0.25 → step lr · 0.5/0.5 = 0.1.
        adamUpdate(param: &p, grad: [0.5, 0], m: &m, v: &v, count: 1, lr: 0.1, beta1: 0.9, beta2: 0.999,
                   eps: 1e-8, step: 2)
        XCTAssertEqual(p[0], 0.8, accuracy: 2e-7)
        XCTAssertEqual(m[0], 0.095, accuracy: 1e-7)
    }

    func testSGDMomentumHandComputed() {
        // buf = 0.9·0.5 + 2 = 2.45; p = 1 − 0.1·2.45 = 0.755. With μ = 0: p −= lr·g.
        var p: [Float] = [1, 1], velocity: [Float] = [0.5, 7]
        sgdMomentumUpdate(param: &p, grad: [2, 3], velocity: &velocity, count: 1, lr: 0.1, momentum: 0.9)
        XCTAssertEqual(p[0], 0.755, accuracy: 1e-7)
        XCTAssertEqual(velocity[0], 2.45, accuracy: 1e-7)
        XCTAssertEqual(p[1], 1, "count bounds the update")
        var q: [Float] = [1], zero: [Float] = [0]
        sgdMomentumUpdate(param: &q, grad: [4], velocity: &zero, count: 1, lr: 0.25, momentum: 0)
        XCTAssertEqual(q, [0])
    }

    func testAdagradHandComputed() {
        // acc = 0 + 3² = 9; p = 1 − 0.1·3/(3 + 1e-8) ≈ 0.9. Then acc = 9 + 4² = 25; p −= 0.1·4/5 = 0.08.
        var p: [Float] = [1], acc: [Float] = [0]
        adagradUpdate(param: &p, grad: [3], accumulator: &acc, count: 1, lr: 0.1, eps: 1e-8)
        XCTAssertEqual(p[0], 0.9, accuracy: 1e-7)
        XCTAssertEqual(acc, [9])
        adagradUpdate(param: &p, grad: [4], accumulator: &acc, count: 1, lr: 0.1, eps: 1e-8)
        XCTAssertEqual(p[0], 0.82, accuracy: 1e-7)
        XCTAssertEqual(acc, [25])
    }

    func testAdamMatchesReference() {
        forEachKernelWidth { checkAdamAgainstReference(width: $0) }
    }

    func checkAdamAgainstReference(width: KernelWidth) {
        var rng = SplitMix64(seed: 30)
        for count in awkwardCounts {
            let n = max(1, count)
            let p = randomTensor(n, &rng), m = Tensor([n]), v = Tensor([n])
            let pRef = copyOf(p), mRef = Tensor([n]), vRef = Tensor([n])
            for step in 1...5 {
                let g = randomTensor(n, &rng, -2, 2)
                adamUpdate(param: p.data, grad: g.data, m: m.data, v: v.data, count: count, lr: 0.01, beta1: 0.9,
                           beta2: 0.999, eps: 1e-8, step: step, width: width)
                adamUpdateReference(param: pRef.data, grad: g.data, m: mRef.data, v: vRef.data, count: count,
                                    lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: step)
            }
            assertClose(p, pRef, count, "adam param, count \(count)")
            assertClose(m, mRef, count, "adam m, count \(count)")
            assertClose(v, vRef, count, "adam v, count \(count)")
        }
    }

    /// Sixteen lanes, eight and one give the same bits: 27 elements at once (16 + 8 + 3 where the CPU has AVX-512,
    /// 3 × 8 + 3 where it does not) must update exactly as each element does alone, through the scalar tail.
    func testAdamIsTheSameBitsAtEveryWidth() {
        var rng = SplitMix64(seed: 33)
        let count = 27
        let p0 = randomTensor(count, &rng), grads = (1...4).map { _ in randomTensor(count, &rng, -2, 2) }
        forEachKernelWidth { width in
            let p = copyOf(p0), m = Tensor([count]), v = Tensor([count])
            let pAlone = copyOf(p0), mAlone = Tensor([count]), vAlone = Tensor([count])
            for (step, g) in zip(1..., grads) {
                adamUpdate(param: p.data, grad: g.data, m: m.data, v: v.data, count: count, lr: 0.01, beta1: 0.9,
                           beta2: 0.999, eps: 1e-8, step: step, width: width)
                for i in 0..<count {
                    adamUpdate(param: pAlone.data + i, grad: g.data + i, m: mAlone.data + i, v: vAlone.data + i,
                               count: 1, lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: step, width: width)
                }
            }
            for (x, y, what) in [(p, pAlone, "param"), (m, mAlone, "m"), (v, vAlone, "v")] {
                XCTAssert((0..<count).allSatisfy { x[$0].bitPattern == y[$0].bitPattern },
                          "\(what), kernel \(width.name)")
            }
        }
    }

    func testSGDMomentumMatchesReference() {
        var rng = SplitMix64(seed: 31)
        for count in awkwardCounts {
            let n = max(1, count)
            let p = randomTensor(n, &rng), velocity = Tensor([n])
            let pRef = copyOf(p), velocityRef = Tensor([n])
            for _ in 1...5 {
                let g = randomTensor(n, &rng, -2, 2)
                sgdMomentumUpdate(param: p.data, grad: g.data, velocity: velocity.data, count: count, lr: 0.05,
                                  momentum: 0.9)
                sgdMomentumUpdateReference(param: pRef.data, grad: g.data, velocity: velocityRef.data, count: count,
                                           lr: 0.05, momentum: 0.9)
            }
            assertClose(p, pRef, count, "sgd param, count \(count)")
            assertClose(velocity, velocityRef, count, "sgd velocity, count \(count)")
        }
    }

    func testAdagradMatchesReference() {
        var rng = SplitMix64(seed: 32)
        for count in awkwardCounts {
            let n = max(1, count)
            let p = randomTensor(n, &rng), acc = Tensor([n])
            let pRef = copyOf(p), accRef = Tensor([n])
            for _ in 1...5 {
                let g = randomTensor(n, &rng, -2, 2)
                adagradUpdate(param: p.data, grad: g.data, accumulator: acc.data, count: count, lr: 0.1, eps: 1e-8)
                adagradUpdateReference(param: pRef.data, grad: g.data, accumulator: accRef.data, count: count,
                                       lr: 0.1, eps: 1e-8)
            }
            assertClose(p, pRef, count, "adagrad param, count \(count)")
            assertClose(acc, accRef, count, "adagrad accumulator, count \(count)")
        }
    }
}
