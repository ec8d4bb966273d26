import ArgumentParser
import Foundation
import Tokenizer
import NGram

/// `nlp-vanish baseline`: what counting alone achieves on the language-model task — a character n-gram with
/// interpolated modified Kneser-Ney smoothing, trained and scored on exactly the tokens, vocabulary and split that
/// `train` uses, so its validation bits per character can stand beside the network's.
struct Baseline: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validation bits per character of a Kneser-Ney character n-gram (the count-model baseline).",
        discussion: """
            The corpus is read, tokenised and split as train does; the n-gram is counted on the training split and \
            scores the validation split as one stream, every token after the first, as train scores the network.
            """)

    @Option(help: "Longest gram counted (1…12); the context is the previous order − 1 characters.")
    var order = 7
    @Option(help: "A text file or a folder of .txt files.")
    var corpus: String = CorpusLocation.defaultPath
    @Option(name: .customLong("text"), help: "Also score this file (or folder), read as one sequence.")
    var textFile: String?
    @Option(name: .customLong("val-fraction"), help: "Tail of each file held out for validation (0.01…0.5).")
    var valFraction = 0.1
    @Option(name: .customLong("min-count"), help: "Characters seen fewer times in the corpus read as <unk> (as train's).")
    var minCount = 1
    @OptionGroup var text: TextOptions
    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        try requireRange(order, "order", 1...12)
        try requireRange(minCount, "min-count", 1...1_000_000)
        try requireValidationFraction(valFraction)
    }

    struct Score: Encodable {
        var chars: Int
        var lossNats: Double
        var bitsPerChar: Double
        var seconds: Double
    }

    struct TextScore: Encodable {
        var path: String
        var chars: Int
        var lossNats: Double
        var bitsPerChar: Double
        var unknownChars: Int
        var seconds: Double
    }

    struct Result: Encodable {
        var order: Int
        var vocabulary: Int
        var trainTokens: Int
        /// Reading and tokenising the corpus.
        var readSeconds: Double
        /// Counting the grams and estimating the discounts.
        var countSeconds: Double
        /// D1, D2, D3+ of orders 1…N.
        var discounts: [[Double]]
        var validation: Score
        var text: TextScore?
    }

    func run() throws {
        var clock = Date()
        func lap() -> Double {
            let now = Date()
            defer { clock = now }
            return now.timeIntervalSince(clock)
        }
        let data = try LanguageModelCorpus(path: corpus, options: text, vocabulary: nil, validationFraction: valFraction,
                                           minCount: minCount)
        let readSeconds = lap()
        let model = KneserNeyModel(tokens: data.split.train, vocabularySize: data.vocabulary.count, order: order)
        let countSeconds = lap()
        // The validation tails of all files as one stream, as train's validation reads them.
        let (loss, scored) = model.crossEntropy(data.split.validation)
        guard scored > 0 else {
            throw UsageFailure("\(corpus): the validation split holds \(data.split.validation.count) tokens, too few to "
                               + "score; use a longer text or a larger --val-fraction")
        }
        var result = Result(order: order, vocabulary: data.vocabulary.count, trainTokens: data.split.train.count,
                            readSeconds: readSeconds, countSeconds: countSeconds,
                            discounts: model.discounts.map { [$0.d1, $0.d2, $0.d3] },
                            validation: Score(chars: scored, lossNats: loss, bitsPerChar: loss / M_LN2, seconds: lap()))
        if let textFile { result.text = try score(textFile, with: model, vocabulary: data.vocabulary, lap: lap) }

        if json {
            print(try JSON.encode(result))
            return
        }
        print(String(format: "Kneser-Ney %d-gram on %d training tokens, vocabulary %d (corpus read in %.2f s, "
                     + "grams counted in %.2f s)", order, result.trainTokens, result.vocabulary, readSeconds, countSeconds))
        let v = result.validation
        print(String(format: "validation: %d characters scored: %.4f nats, %.4f bits per character (%.2f s)",
                     v.chars, v.lossNats, v.bitsPerChar, v.seconds))
        if let t = result.text {
            print(t.path + String(format: ": %d characters scored: %.4f nats, %.4f bits per character (%.2f s)",
                                  t.chars, t.lossNats, t.bitsPerChar, t.seconds))
        }
        print(String(format: "validation bits per character: %.3f", v.bitsPerChar))
    }

    /// Scores another text with the corpus's tokenizer and vocabulary, as one stream; characters the corpus never
    /// had become `<unk>` (id 0), as `eval` maps them, which the model only knows through its uniform floor.
    private func score(_ path: String, with model: KneserNeyModel, vocabulary: Vocabulary,
                       lap: () -> Double) throws -> TextScore {
        let files = try loadTextFiles(at: path, encoding: text.encoding)
        let tokenizer = Tokenizer(options: text.tokenizerOptions)
        let graphemes = files.flatMap { tokenizer.graphemes($0.text) }
        let (ids, unknownCount, unknown) = vocabulary.encode(graphemes)
        guard ids.count >= 2 else { throw UsageFailure("\(path): fewer than two characters; nothing to score") }
        if unknownCount > 0 {
            let shown = unknown.prefix(10).map { "'\(displayable($0))'" }.joined(separator: " ")
            printError("warning: \(unknownCount) characters of \(path) are not in the corpus's vocabulary "
                       + "(scored as <unk>): \(shown)" + (unknown.count > 10 ? " …" : ""))
        }
        let (loss, scored) = model.crossEntropy(ids)
        return TextScore(path: path, chars: scored, lossNats: loss, bitsPerChar: loss / M_LN2,
                         unknownChars: unknownCount, seconds: lap())
    }
}
