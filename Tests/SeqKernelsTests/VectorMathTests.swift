import Foundation
import XCTest
@testable import SeqKernels

/// The vector approximations of exp, tanh and sigmoid against Double-precision libm, over a dense sweep and at
/// the special values. The bounds asserted here are the ones documented in VectorMath.swift (measured there on
/// every Float of the range; here on a 2⁻¹⁴ grid so the suite stays fast).
final class VectorMathTests: XCTestCase {
    /// Every multiple of 2⁻¹⁴ in [−20, 20] (655 361 points), eight at a time.
    static let sweep: [Float] = (-20 * 16384...20 * 16384).map { Float($0) * 0x1p-14 }

    /// max |f(x) − ref(x)| over `inputs`, and the worst input.
    func maxAbsoluteError(_ inputs: [Float], _ f: (SIMD8<Float>) -> SIMD8<Float>,
                          _ reference: (Double) -> Double) -> (error: Double, at: Float) {
        var worst = (error: 0.0, at: Float.nan)
        for (x, y) in zip(inputs, eightLanesAtATime(inputs, f)) {
            let error = abs(Double(y) - reference(Double(x)))
            if !(error <= worst.error) { worst = (error, x) }
        }
        return worst
    }

    func apply(_ f: (SIMD8<Float>) -> SIMD8<Float>, _ x: Float) -> Float { f(SIMD8(repeating: x))[0] }

    func testTanhAbsoluteErrorOverDenseSweep() {
        let worst = maxAbsoluteError(Self.sweep, vectorTanh, Foundation.tanh)
        XCTAssertLessThanOrEqual(worst.error, 1e-7, "worst at x = \(worst.at)")
        let libm = maxAbsoluteError(Self.sweep, { x in SIMD8(x.indices.map { Foundation.tanh(x[$0]) }) },
                                    Foundation.tanh)
        print("tanh: max |error| = \(worst.error) at x = \(worst.at); libm tanhf: \(libm.error)")
    }

    func testSigmoidAbsoluteErrorOverDenseSweep() {
        let worst = maxAbsoluteError(Self.sweep, vectorSigmoid) { 1 / (1 + Foundation.exp(-$0)) }
        XCTAssertLessThanOrEqual(worst.error, 1e-7, "worst at x = \(worst.at)")
        print("sigmoid: max |error| = \(worst.error) at x = \(worst.at)")
    }

    func testTanhKeepsRelativePrecisionNearZero() {
        // Where tanh(x) ≈ x the polynomial branch must not lose the small value (1 − 2/(e^{2x}+1) would).
        for x: Float in [1e-30, -3e-20, 1e-10, 2.5e-6, -1e-3, 0.01, 0.3, -0.6249] {
            let y = Double(apply(vectorTanh, x)), exact = Foundation.tanh(Double(x))
            XCTAssertLessThanOrEqual(abs(y - exact), 2.5e-7 * abs(exact), "x = \(x)")
        }
        XCTAssertEqual(apply(vectorTanh, 0).bitPattern, Float(0).bitPattern)
        XCTAssertEqual(apply(vectorTanh, -0.0).bitPattern, Float(-0.0).bitPattern)
    }

    func testExpRelativeErrorOverItsRange() {
        var worst = 0.0, at: Float = 0
        // Normal results only: below ≈ −87.3 the result is subnormal and its relative precision drops.
        for i in -87 * 4096...88 * 4096 {
            let x = Float(i) * 0x1p-12
            let exact = Foundation.exp(Double(x))
            let error = abs(Double(apply(vectorExp, x)) - exact) / exact
            if error > worst { (worst, at) = (error, x) }
        }
        XCTAssertLessThanOrEqual(worst, 1.2e-7, "worst at x = \(at)")
        print("exp: max relative error = \(worst) at x = \(at)")
    }

    func testSpecialValues() {
        XCTAssertEqual(apply(vectorTanh, .infinity), 1)
        XCTAssertEqual(apply(vectorTanh, -.infinity), -1)
        XCTAssertEqual(apply(vectorTanh, 50), 1)
        XCTAssertEqual(apply(vectorTanh, -9.5), -1)
        XCTAssert(apply(vectorTanh, .nan).isNaN)

        XCTAssertEqual(apply(vectorSigmoid, .infinity), 1)
        XCTAssertEqual(apply(vectorSigmoid, -.infinity), 0)
        XCTAssertEqual(apply(vectorSigmoid, 0), 0.5)
        XCTAssertEqual(apply(vectorSigmoid, -200), 0)
        XCTAssert(apply(vectorSigmoid, .nan).isNaN)

        XCTAssertEqual(apply(vectorExp, 0), 1)
        XCTAssertEqual(apply(vectorExp, .infinity), .infinity)
        XCTAssertEqual(apply(vectorExp, 88.8), .infinity)
        XCTAssertEqual(apply(vectorExp, 88.7), Float(Foundation.exp(Double(Float(88.7)))), accuracy: 3e31)
        XCTAssertEqual(apply(vectorExp, -.infinity), 0)
        XCTAssertEqual(apply(vectorExp, -104), 0)
        XCTAssert(apply(vectorExp, .nan).isNaN)
        // e^−100 ≈ 3.72e-44 is subnormal: produced as such, or 0 on a thread that flushes subnormals
        // (`flushDenormalsToZero`, which other tests in this process may have called on this thread).
        let tiny = Double(apply(vectorExp, -100))
        XCTAssert(tiny == 0 || abs(tiny - Foundation.exp(-100)) <= 3e-45, "e^-100 gave \(tiny)")
    }
}
