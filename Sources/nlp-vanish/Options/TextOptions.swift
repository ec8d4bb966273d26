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

/// Where the bundled corpus is read from, first found: the environment variable NLP_VANISH_CORPUS; `Corpus/`
/// in the working directory (the project root); `share/nlp-vanish/Corpus` beside the installed binary's `bin/`
/// (`make install`); the source tree the binary was built from. So the tool runs from any folder.
enum CorpusLocation {
    static var defaultPath: String {
        if let path = ProcessInfo.processInfo.environment["NLP_VANISH_CORPUS"] { return path }
        return candidates.first { FileManager.default.fileExists(atPath: $0) } ?? "Corpus"
    }

    private static var candidates: [String] {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let installed = executable.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("share/nlp-vanish/Corpus").path
        let sourceTree = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Corpus").path
        return ["Corpus", installed, sourceTree]
    }
}
