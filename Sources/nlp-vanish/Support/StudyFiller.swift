import Tokenizer
import SeqStudy

/// The bundled corpus (or the user's) as filler for the dependency tasks, with the encoder the agreement task
/// uses for its words.
struct StudyFiller {
    let filler: FillerText
    let vocabulary: Vocabulary
    let tokenizer: Tokenizer

    init(corpus: String, options: TextOptions) throws {
        let files = try loadTextFiles(at: corpus, encoding: options.encoding)
        let tokenizer = Tokenizer(options: options.tokenizerOptions)
        self.tokenizer = tokenizer
        let graphemes = files.flatMap { tokenizer.graphemes($0.text) }
        guard !graphemes.isEmpty else { throw UsageFailure("\(corpus): the text is empty") }
        vocabulary = Vocabulary(building: graphemes)
        filler = FillerText(tokens: vocabulary.encode(graphemes).ids, vocabulary: vocabulary.count)
    }

    func encode(_ text: String) -> [Int32] { vocabulary.encode(tokenizer.graphemes(text)).ids }

    /// The task for one run. Distances are validated against the filler's length by the command beforehand.
    func task(_ kind: TaskKind, distance: Int, gendersOnly: Bool) -> any SequenceTask {
        switch kind {
        case .recall: return RecallTask(filler: filler, distance: distance)
        case .agreement: return AgreementTask(filler: filler, distance: distance, gendersOnly: gendersOnly, encode: encode)
        case .adding: return AddingTask(length: distance)
        }
    }
}
