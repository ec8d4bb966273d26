import Foundation
import XCTest
import SeqKernels
import SeqModel
@testable import SeqMemory

/// A network whose memory is known exactly: a ReLU shift register that copies each token D − 1 steps along and
/// a decoder that predicts the token it holds, on a text of period D (so that token is always the answer).
///
///     block j of h_t = onehot(x_{t−j}),  j = 0…D−1      logits_t = w · (block D−1 of h_t)
///
/// With at least D characters of context, P(answer) = σ = e^w / (e^w + V − 1), so ℓ = −ln σ; with fewer, block D−1
/// is zero and ℓ = ln V. The loss gradient reaches back only along the register: ‖∂ℓ_t/∂h_t‖ = w·‖p − y‖,
/// ‖∂ℓ_t/∂h_{t−k}‖ = w(1 − σ) for 1 ≤ k ≤ D − 1 (the ReLU passes only the active unit) and 0 beyond;
/// ‖∂ℓ_t/∂x_{t−k}‖ = w(1 − σ) at k = D − 1 only, where the register reads its input.
final class HandBuiltMemoryTests: XCTestCase {
    static let (v, d, w) = (5, 4, Float(2))
    static let period: [Int32] = [2, 0, 4, 1]   // D tokens; the text repeats them

    static func shiftRegister() -> RNNModel {
        let (v, d) = (Self.v, Self.d), h = v * d
        let config = ModelConfig(input: .tokens(vocabulary: v), hidden: h, layers: 1, activation: .relu,
                                 initialization: .pytorchDefault, head: .classification(classes: v), cell: .rnn)
        let model = RNNModel(config: config, seed: 1)
        for p in model.parameters { p.value.zero() }
        let (wih, whh, decoder) = (model.parameters[0].value, model.parameters[1].value, model.parameters[3].value)
        for token in 0..<v { wih.data[token * h + token] = 1 }                  // x_t → block 0
        for j in 1..<d {
            for i in 0..<v { whh.data[((j - 1) * v + i) * h + j * v + i] = 1 }  // block j−1 of h_{t−1} → block j
        }
        for i in 0..<v { decoder.data[((d - 1) * v + i) * v + i] = Self.w }     // block D−1 → its token's logit
        return model
    }

    static var text: [Int32] { (0..<200).map { period[$0 % period.count] } }
    static var sigma: Double { exp(Double(w)) / (exp(Double(w)) + Double(v - 1)) }

    func testContextAblationMatchesTheAnalyticLosses() {
        let model = Self.shiftRegister(), text = Self.text
        let lengths = [1, 2, 3, 4, 8, 16]
        let positions = Array(16..<150)
        let nats = ContextAblation.losses(model: model, tokens: text, positions: positions, lengths: lengths, batch: 16)
        for (i, k) in lengths.enumerated() {
            let expected = k >= Self.d ? -log(Self.sigma) : log(Double(Self.v))
            for loss in nats[i] { XCTAssertEqual(loss, expected, accuracy: 1e-5, "k = \(k)") }
        }
        let stream = StreamPass(model: model, tokens: text)
        let curve = ContextCurve(lengths: lengths, nats: nats, unlimitedNats: positions.map { stream.losses[$0] })
        XCTAssertEqual(curve.effectiveContext(within: 0.01), Self.d)
        XCTAssertEqual(curve.effectiveContext(within: 0.001), Self.d)
        XCTAssertEqual(curve.unlimitedBits, -log2(Self.sigma), accuracy: 1e-5)
        // The stream itself: the first D − 1 positions lack the token D − 1 back; every later one has it.
        for (p, loss) in stream.losses.enumerated() {
            XCTAssertEqual(loss, p < Self.d - 1 ? log(Double(Self.v)) : -log(Self.sigma), accuracy: 1e-5, "p = \(p)")
        }
    }

    func testGradientReachMatchesTheAnalyticNorms() {
        let model = Self.shiftRegister(), text = Self.text
        let k = 10
        let positions = Array(stride(from: 12, to: 190, by: 3))
        let stream = StreamPass(model: model, tokens: text, statesAfter: Set(positions.map { $0 - k - 1 }))
        let reach = GradientReach(model: model, tokens: text, positions: positions, distance: k, stream: stream, batch: 7)
        let (w, s, v) = (Double(Self.w), Self.sigma, Double(Self.v))
        let q = 1 / (exp(w) + v - 1)
        let atLoss = w * ((1 - s) * (1 - s) + (v - 1) * q * q).squareRoot()
        XCTAssertEqual(reach.hidden[0][0], atLoss, accuracy: 1e-5)
        for back in 1...k {
            XCTAssertEqual(reach.hidden[0][back], back < Self.d ? w * (1 - s) : 0, accuracy: 1e-5, "h, k = \(back)")
            XCTAssertEqual(reach.input[back], back == Self.d - 1 ? w * (1 - s) : 0, accuracy: 1e-5, "x, k = \(back)")
        }
        XCTAssertEqual(reach.input[0], 0, accuracy: 1e-6)
        XCTAssertTrue(reach.cell.isEmpty)
        XCTAssertEqual(reach.positions, positions.count)
    }
}
