import XCTest
@testable import SeqKernels
@testable import SeqModel

/// The sampler against the model it draws from: one step at a time it must see what a forward pass over the
/// whole sequence sees, and its draws must follow softmax(logits / temperature), cut to the top K.
final class SamplerTests: XCTestCase {
    private static let vocabulary = 21

    /// A model whose decoder weights are scaled up, so that its next-token distributions are far from uniform
    /// (the likeliest first token after the prime: 0.20 at temperature 1, 0.45 at 0.5) and a wrong temperature or
    /// cut shows.
    private func model(layers: Int, directOrders: Int = 0) -> RNNModel {
        var config = ModelConfig(input: .tokens(vocabulary: Self.vocabulary), hidden: 24, layers: layers,
                                 activation: .tanh, initialization: .xavier(gain: 1),
                                 head: .classification(classes: Self.vocabulary))
        config.directOrders = directOrders
        config.directBits = 16
        let model = RNNModel(config: config, seed: 7)
        let w = model.decoderWeight.value
        for i in 0..<w.count { w[i] *= 6 }
        if let direct = model.direct {
            var rng = Xoshiro256StarStar(seed: 8)
            for i in 0..<direct.weights.count { direct.weights[i] = rng.uniform(-2, 2) }
        }
        return model
    }

    /// Logits after each token of `tokens`, from one forward pass over them all (batch of one, zero h₀).
    private func windowLogits(_ model: RNNModel, _ tokens: [Int32]) -> [[Float]] {
        let ws = Workspace(config: model.config, batch: 1, steps: tokens.count)
        for (t, token) in tokens.enumerated() { ws.tokens[t] = token }
        model.forward(ws, gradient: false)
        let v = Self.vocabulary
        return tokens.indices.map { Array(UnsafeBufferPointer(start: ws.outputs.data + $0 * v, count: v)) }
    }

    /// At temperature 0 each draw is the most likely next token given everything before it, so a greedy sample
    /// must be the argmax of the window pass over the prime and the sample itself, step for step.
    func testGreedySampleFollowsTheWindowPass() {
        for (layers, orders) in [(1, 0), (2, 0), (1, 5)] {
            let model = model(layers: layers, directOrders: orders)
            let prime: [Int32] = [3, 14, 1, 5]
            var rng = Xoshiro256StarStar(seed: 1)
            let sample = Sampler(model: model).sample(prime: prime, length: 30, temperature: 0, topK: 0, rng: &rng)
            let logits = windowLogits(model, prime + sample)
            for (i, token) in sample.enumerated() {
                let row = logits[prime.count - 1 + i]
                XCTAssertEqual(Int(token), row.firstIndex(of: row.max()!), "step \(i), \(layers) layers, K = \(orders)")
            }
        }
    }

    /// Draws of the first token after a prime, 40,000 of them, against softmax(logits / τ) of the window pass:
    /// every frequency within four standard errors of its probability, and with a top K, nothing outside the K
    /// most likely.
    func testDrawsFollowTheTemperedDistribution() {
        let model = model(layers: 1), sampler = Sampler(model: model)
        let prime: [Int32] = [2, 9, 17]
        let logits = windowLogits(model, prime)[prime.count - 1]
        for (temperature, topK) in [(Float(1), 0), (0.5, 0), (1, 5)] {
            var weights = logits.map { Double($0 / temperature) }
            let kept = Set(weights.indices.sorted { weights[$0] > weights[$1] }.prefix(topK > 0 ? topK : weights.count))
            let top = weights.max()!
            weights = weights.indices.map { kept.contains($0) ? Foundation.exp(weights[$0] - top) : 0 }
            let total = weights.reduce(0, +)
            var counts = [Int](repeating: 0, count: Self.vocabulary)
            var rng = Xoshiro256StarStar(seed: 5)
            let draws = 40_000
            for _ in 0..<draws {
                let token = sampler.sample(prime: prime, length: 1, temperature: temperature, topK: topK, rng: &rng)[0]
                counts[Int(token)] += 1
            }
            for i in 0..<Self.vocabulary {
                let frequency = Double(counts[i]) / Double(draws), probability = weights[i] / total
                let standardError = (probability * (1 - probability) / Double(draws)).squareRoot()
                XCTAssertEqual(frequency, probability, accuracy: 4 * standardError + 1e-9,
                               "token \(i), τ = \(temperature), top-k \(topK)")
                if !kept.contains(i) { XCTAssertEqual(counts[i], 0, "token \(i) is outside the top \(topK)") }
            }
        }
    }
}
