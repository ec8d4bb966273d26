import XCTest
@testable import SeqKernels
@testable import SeqModel

final class InitializationTests: XCTestCase {
    private func layerWeights(_ initialization: Initialization, inputs: Int = 10, hidden: Int = 32) -> (Tensor, Tensor, Tensor) {
        let wih = Tensor([inputs, hidden]), whh = Tensor([hidden, hidden]), b = Tensor([hidden])
        var rng = Xoshiro256StarStar(seed: 9)
        initialization.fill(wih: wih, whh: whh, bias: b, inputs: inputs, hidden: hidden, rng: &rng)
        return (wih, whh, b)
    }

    func testOrthogonalHasEverySingularValueEqualToTheGain() {
        let (_, whh, _) = layerWeights(.orthogonal(gain: 1.5))
        // Wᵀ W = gain² I.
        for i in 0..<32 {
            for j in 0..<32 {
                var dot: Float = 0
                for k in 0..<32 { dot += whh[k * 32 + i] * whh[k * 32 + j] }
                XCTAssertEqual(dot, i == j ? 2.25 : 0, accuracy: 1e-4)
            }
        }
        XCTAssertEqual(largestSingularValue(whh, rows: 32, cols: 32), 1.5, accuracy: 1e-4)
    }

    func testIdentityIsTheIRNN() {
        let (wih, whh, b) = layerWeights(.identity(scale: 1))
        for i in 0..<32 { for j in 0..<32 { XCTAssertEqual(whh[i * 32 + j], i == j ? 1 : 0) } }
        XCTAssertEqual(b.array, [Float](repeating: 0, count: 32))
        XCTAssertLessThan(wih.array.map(abs).max()!, 0.01)   // N(0, 0.001²): 10σ
    }

    func testUniformBounds() {
        let (wih, whh, b) = layerWeights(.pytorchDefault)
        let r = 1 / Float(32).squareRoot()
        XCTAssertLessThanOrEqual(whh.array.map(abs).max()!, r)
        XCTAssertLessThanOrEqual(wih.array.map(abs).max()!, r)
        XCTAssertLessThanOrEqual(b.array.map(abs).max()!, 2 * r)   // the sum of PyTorch's two biases
        XCTAssertGreaterThan(whh.array.map(abs).max()!, 0.9 * r)
        let (xih, xhh, _) = layerWeights(.xavier(gain: 1))
        XCTAssertLessThanOrEqual(xih.array.map(abs).max()!, (6 / Float(42)).squareRoot())
        XCTAssertLessThanOrEqual(xhh.array.map(abs).max()!, (6 / Float(64)).squareRoot())
    }

    func testNamesRoundTrip() {
        for i in [Initialization.pytorchDefault, .xavier(gain: 1), .orthogonal(gain: 2), .identity(scale: 0.5), .normal(sigma: 0.01)] {
            XCTAssertEqual(Initialization(name: i.name), i)
        }
        XCTAssertNil(Initialization(name: "identity@-1"))
        XCTAssertNil(Initialization(name: "bogus"))
        XCTAssertNil(Initialization(name: "default@2"))
    }

    func testSpectralNormOfAKnownMatrix() {
        // [[3, 0], [4, 5]] has singular values √45 and √5.
        let a = Tensor([2, 2], values: [3, 0, 4, 5])
        XCTAssertEqual(largestSingularValue(a, rows: 2, cols: 2), 45.0.squareRoot(), accuracy: 1e-6)
    }
}
