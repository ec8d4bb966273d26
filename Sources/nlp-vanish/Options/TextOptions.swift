import ArgumentParser
import Foundation
import Tokenizer

/// The flags that say how text is read and tokenised, shared by every command that reads text.
struct TextOptions: ParsableArguments {
    @Option(help: "How the files are encoded: utf8 or latin1 (ISO-8859-1).")
    var encoding: TextEncoding = .utf8

    @Option(help: "Unicode normalisation: nfc, nfd, nfkc or none.")
    var normalization: Normalization = .nfc

    @Flag(help: "Fold case (so 'Ação' and 'ação' are the same tokens).")
    var caseFold = false

    @Flag(help: "Remove combining marks (so 'ação' becomes 'acao').")
    var stripAccents = false

    var tokenizerOptions: TokenizerOptions {
        TokenizerOptions(normalization: normalization, caseFold: caseFold, stripAccents: stripAccents)
    }
}

/// Where the bundled corpus is: `Corpus/` in the working directory (the README's commands run from the
/// project root), or the environment variable NLP_VANISH_CORPUS.
enum CorpusLocation {
    static var defaultPath: String {
        ProcessInfo.processInfo.environment["NLP_VANISH_CORPUS"] ?? "Corpus"
    }
}
