// Tokenises a sentence, builds a small language model over its characters and scores the sentence: the
// libraries' public faces, used from another package.
import Foundation
import SeqKernels
import SeqModel
import Tokenizer

let text = "A vela remendada voltou ao mar com o vento de agosto."
let graphemes = Tokenizer().graphemes(text)
let vocabulary = Vocabulary(building: graphemes)
let ids = vocabulary.encode(graphemes).ids
let config = ModelConfig(input: .tokens(vocabulary: vocabulary.count), hidden: 16, layers: 2, activation: .tanh,
                         initialization: .xavier(gain: 1), head: .classification(classes: vocabulary.count))
let model = RNNModel(config: config, seed: 1)
let (loss, scored) = evaluateStream(model, tokens: ids)
let uniform = log(Double(vocabulary.count))
print("tokens \(ids.count), vocabulary \(vocabulary.count), loss \(loss) nats over \(scored) steps (uniform \(uniform))")
// An untrained network predicts close to uniformly: anything else means the model did not run.
guard scored == ids.count - 1, loss.isFinite, abs(loss - uniform) < 0.5 else { fatalError("unexpected loss") }
