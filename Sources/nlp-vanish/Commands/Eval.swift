import ArgumentParser
import Foundation
import Tokenizer
import SeqModel

/// `nlp-vanish eval`: how well a checkpoint predicts a text, in nats and bits per character.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Cross-entropy of a checkpoint on a text file, read as one sequence from a zero state.")

    @Option(help: "A checkpoint written by train.")
    var checkpoint: String
    @Option(help: "The text file to score.")
    var text: String
    @Option(help: "utf8 or latin1.")
    var encoding: TextEncoding = .utf8
    @Flag(help: "Print one JSON object.")
    var json = false

    struct Result: Encodable {
        var chars: Int
        var lossNats: Double
        var bitsPerChar: Double
    }

    func run() throws {
        let loaded = try LoadedCheckpoint(path: checkpoint)
        let files = try loadTextFiles(at: text, encoding: encoding)
        let graphemes = files.flatMap { loaded.tokenizer.graphemes($0.text) }
        let (ids, unknownCount, _) = loaded.vocabulary.encode(graphemes)
        guard ids.count >= 2 else { throw UsageFailure("\(text): fewer than two characters; nothing to score") }
        if unknownCount > 0 { printError("warning: \(unknownCount) characters are not in the checkpoint's vocabulary (scored as <unk>)") }
        let (loss, scored) = evaluateStream(loaded.model, tokens: ids)
        guard loss.isFinite else {
            throw UsageFailure("\(checkpoint): the model's loss on \(text) is not finite (NaN or infinite); its state "
                               + "grows without bound over the text or its weights have diverged")
        }
        let result = Result(chars: scored, lossNats: loss, bitsPerChar: loss / M_LN2)
        if json {
            print(try JSON.encode(result))
        } else {
            print(String(format: "%d characters scored: %.4f nats, %.4f bits per character", scored, loss, loss / M_LN2))
        }
    }
}
