import ArgumentParser
import Foundation
import Tokenizer

/// `nlp-vanish inspect`: what a checkpoint holds.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a checkpoint's configuration and tensors.")

    @Option(help: "A checkpoint written by train.")
    var checkpoint: String
    @Flag(help: "Print one JSON object.")
    var json = false

    struct TensorInfo: Encodable {
        var name: String
        var shape: [Int]
        var norm: Double
    }

    struct Report: Encodable {
        var path: String
        var cell: String
        var activation: String
        var layers: Int
        var hidden: Int
        var initialization: String
        var tokenizer: [String: String]
        var vocabularySize: Int
        var parameters: Int
        /// Context lengths and table size of the direct connections (0 and 0 without them).
        var directOrders: Int
        var directWeights: Int
        var step: Int
        var tensors: [TensorInfo]
    }

    func run() throws {
        let loaded = try LoadedCheckpoint(path: checkpoint)
        let c = loaded.model.config
        let report = Report(
            path: checkpoint, cell: c.cell.rawValue, activation: c.activation.rawValue, layers: c.layers, hidden: c.hidden,
            initialization: loaded.initialization, tokenizer: loaded.tokenizer.options.metadata,
            vocabularySize: loaded.vocabulary.count, parameters: c.parameterCount,
            directOrders: c.directOrders, directWeights: c.directWeightCount, step: loaded.step,
            tensors: loaded.contents.tensors.map {
                TensorInfo(name: $0.name, shape: $0.shape, norm: $0.values.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot())
            })
        if json {
            print(try JSON.encode(report, pretty: true))
            return
        }
        print("checkpoint     \(checkpoint)")
        let cellName = switch c.cell {
        case .rnn: "\(c.activation.rawValue) RNN"
        case .lstm, .gru: c.cell.rawValue.uppercased()
        case .indrnn: "\(c.activation.rawValue) IndRNN"
        }
        print("model          \(c.layers) × \(cellName), hidden \(c.hidden), init \(loaded.initialization)")
        print("vocabulary     \(loaded.vocabulary.count) tokens")
        print("tokenizer      " + loaded.tokenizer.options.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        print("parameters     \(c.parameterCount)")
        if c.directOrders > 0 {
            print("direct         contexts of 1…\(c.directOrders) characters, \(c.directWeightCount) weights")
        }
        print("step           \(loaded.step)")
        print("tensors:")
        for t in report.tensors {
            print("  " + t.name.padding(toLength: 34, withPad: " ", startingAt: 0)
                  + "[" + t.shape.map(String.init).joined(separator: ", ") + "]".padding(toLength: 1, withPad: " ", startingAt: 0)
                  + String(format: "   ‖·‖ = %.4g", t.norm))
        }
    }
}
