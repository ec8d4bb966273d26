import Tokenizer
import SeqKernels
import SeqModel
import SeqTraining

/// A language-model checkpoint opened for use: its model, vocabulary and tokenizer, every field checked.
struct LoadedCheckpoint {
    let path: String
    let contents: SafeTensors.Contents
    let model: RNNModel
    let vocabulary: Vocabulary
    let tokenizer: Tokenizer
    let initialization: String

    init(path: String) throws {
        self.path = path
        contents = try Checkpoint.read(path)
        let m = contents.metadata
        func field(_ key: String) throws -> String {
            guard let v = m[key] else { throw Checkpoint.LoadError(path: path, reason: "metadata \"\(key)\" is missing") }
            return v
        }
        do {
            vocabulary = try Vocabulary(json: try field("vocab"))
        } catch let error as Checkpoint.LoadError {
            throw error
        } catch {
            throw Checkpoint.LoadError(path: path, reason: "metadata \"vocab\" is not a valid vocabulary: \(error)")
        }
        tokenizer = Tokenizer(options: try TokenizerOptions(metadata: m))
        guard let cell = Cell(rawValue: m["cell"] ?? Cell.rnn.rawValue) else {
            throw Checkpoint.LoadError(path: path, reason: "metadata \"cell\" is \"\(m["cell"] ?? "")\"; this build knows "
                                       + Cell.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard let activation = Activation(rawValue: try field("activation")),
              let layers = Int(try field("layers")), (1...16).contains(layers),
              let hidden = Int(try field("hidden")), (1...4096).contains(hidden) else {
            throw Checkpoint.LoadError(path: path, reason: "metadata activation/layers/hidden are not valid")
        }
        initialization = m["init"] ?? "unknown"
        let v = vocabulary.count
        // The metadata sizes the model before anything is allocated: check them against a tensor the file really
        // holds, so a forged header cannot make us allocate far more memory than the file's own size.
        guard contents["decoder.weight"]?.shape == [v, hidden] else {
            throw Checkpoint.LoadError(path: path, reason: "tensor \"decoder.weight\" is missing or is not [\(v), \(hidden)] "
                                       + "(vocabulary size × hidden, from the metadata)")
        }
        var config = ModelConfig(input: .tokens(vocabulary: v), hidden: hidden, layers: layers, activation: activation,
                                 initialization: .pytorchDefault, head: .classification(classes: v), cell: cell)
        if let orders = m["direct_orders"], orders != "0" {
            guard let k = Int(orders), DirectConnections.ordersRange.contains(k),
                  let bits = m["direct_bits"].flatMap(Int.init), directBitsRange.contains(bits), (1 << bits) > 2 * v else {
                throw Checkpoint.LoadError(path: path, reason: "metadata direct_orders/direct_bits are not valid "
                                           + "(1…8 and 16…26)")
            }
            guard contents["direct.weight"]?.shape == [1 << bits] else {
                throw Checkpoint.LoadError(path: path, reason: "tensor \"direct.weight\" is missing or is not [\(1 << bits)] "
                                           + "(2^direct_bits, from the metadata)")
            }
            config.directOrders = k
            config.directBits = bits
        }
        model = RNNModel(config: config, seed: 0)
        try Checkpoint.load(contents, into: model, path: path)
    }

    var step: Int { contents.metadata["step"].flatMap(Int.init) ?? 0 }
}
