import XCTest
@testable import SeqModel
@testable import SeqTraining

/// The whole training path end to end: a one-layer RNN must memorise a short Portuguese string exactly.
final class OverfitTests: XCTestCase {
    func testMemorisesAFiftyCharacterString() throws {
        let text = Array("A canção da manhã ecoava pelo vale, junto às águas.")
        XCTAssertEqual(text.count, 51)   // 50 transitions
        let alphabet = Array(Set(text)).sorted()
        let ids = text.map { Int32(alphabet.firstIndex(of: $0)!) }
        let config = ModelConfig(input: .tokens(vocabulary: alphabet.count), hidden: 64, layers: 1,
                                 activation: .tanh, initialization: .xavier(gain: 1),
                                 head: .classification(classes: alphabet.count))
        let model = RNNModel(config: config, seed: 1)
        let steps = text.count - 1
        let ws = Workspace(config: config, batch: 1, steps: steps)
        for t in 0..<steps {
            ws.tokens[t] = ids[t]
            ws.targets[t] = ids[t + 1]
        }
        let trainer = Trainer(model: model, workspace: ws,
                              settings: TrainingSettings(optimizer: OptimizerSettings(kind: .adam), learningRate: 0.01))
        for _ in 0..<300 {
            ws.resetState()
            _ = try trainer.step()
        }
        ws.resetState()
        model.forward(ws, gradient: false)
        var correct = 0
        for t in 0..<steps {
            let row = Array(UnsafeBufferPointer(start: ws.outputs.data + t * alphabet.count, count: alphabet.count))
            if row.firstIndex(of: row.max()!) == Int(ids[t + 1]) { correct += 1 }
        }
        XCTAssertEqual(correct, steps, "next-character accuracy \(correct)/\(steps)")
        XCTAssertLessThan(ws.loss, 0.05)
    }
}
