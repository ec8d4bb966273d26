import Tokenizer
import SeqTraining

/// A corpus read, tokenised and split for language modelling; the vocabulary is built from it or given.
struct LanguageModelCorpus {
    let files: [TextFile]
    let vocabulary: Vocabulary
    let split: CorpusSplit
    let graphemes: Int

    /// `minCount`: a vocabulary built here keeps only characters seen at least that often; the rest read as <unk>.
    init(path: String, options: TextOptions, vocabulary given: Vocabulary?, validationFraction: Double,
         minCount: Int = 1) throws {
        files = try loadTextFiles(at: path, encoding: options.encoding)
        let tokenizer = Tokenizer(options: options.tokenizerOptions)
        let tokenized = files.map { tokenizer.graphemes($0.text) }
        graphemes = tokenized.reduce(0) { $0 + $1.count }
        guard graphemes > 0 else { throw UsageFailure("\(path): the text is empty") }
        let built = Vocabulary(building: tokenized.joined(), minFrequency: minCount)
        if let given {
            guard given == built else {
                let missing = Set(built.tokens).subtracting(given.tokens).sorted().prefix(10)
                throw UsageFailure("the corpus does not match the checkpoint's vocabulary (\(given.count) tokens "
                    + "in the checkpoint, \(built.count) in the corpus"
                    + (missing.isEmpty ? ")" : "; new here: \(missing.map { displayable($0) }.joined(separator: " ")))"))
            }
        }
        let vocabulary = given ?? built
        self.vocabulary = vocabulary
        let ids = tokenized.map { vocabulary.encode($0).ids }
        split = CorpusSplit(files: ids, validationFraction: validationFraction)
    }
}

/// A failure caused by what the user asked for (exit 1, with the message alone).
struct UsageFailure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
