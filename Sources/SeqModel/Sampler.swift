import SeqKernels
/// Generates tokens one at a time from a classification model: feed a token, read the next-token distribution,
/// draw from it (or take its maximum at temperature 0), feed the draw back.
public struct Sampler {
    public let model: RNNModel
    private let ws: Workspace

    public init(model: RNNModel) {
        self.model = model
        ws = Workspace(config: model.config, batch: 1, steps: 1)
    }

    /// Feeds `prime` from a zero state, then draws `length` tokens. `topK` (if > 0) keeps only the K most likely.
    public func sample(prime: [Int32], length: Int, temperature: Float, topK: Int,
                       rng: inout Xoshiro256StarStar) -> [Int32] {
        let v = model.config.outputWidth
        ws.resetState()
        var last: Int32 = prime.last ?? 0
        for token in prime.dropLast() { advance(token) }
        var out = [Int32]()
        out.reserveCapacity(length)
        var probabilities = [Float](repeating: 0, count: v)
        for _ in 0..<length {
            advance(last)
            let logits = ws.outputs.data
            if temperature == 0 {
                var best = 0
                for i in 1..<v where logits[i] > logits[best] { best = i }
                last = Int32(best)
            } else {
                for i in 0..<v { probabilities[i] = logits[i] / temperature }
                if topK > 0 && topK < v {
                    let threshold = probabilities.sorted(by: >)[topK - 1]
                    for i in 0..<v where probabilities[i] < threshold { probabilities[i] = -.infinity }
                }
                probabilities.withUnsafeMutableBufferPointer { softmaxRow($0.baseAddress!, count: v) }
                var u = rng.nextFloat(), chosen = v - 1
                for i in 0..<v {
                    u -= probabilities[i]
                    if u < 0 { chosen = i; break }
                }
                last = Int32(chosen)
            }
            out.append(last)
        }
        return out
    }

    /// One step: h ← f(h, token); the outputs then hold the next-token logits.
    private func advance(_ token: Int32) {
        ws.tokens[0] = token
        ws.targets[0] = -1
        model.forward(ws, gradient: false)
        ws.carryState()
        let h = ws.history                       // the token just read becomes one step back, the rest shift
        if h.count > 0 {
            for k in stride(from: h.count - 1, to: 0, by: -1) { h[k] = h[k - 1] }
            h[0] = token
        }
    }
}
