import ArgumentParser
import Tokenizer

/// `nlp-vanish tokenize`: what the tokenizer makes of some text.
struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Count bytes, scalars, graphemes and distinct tokens of text files.",
        discussion: "With no FILE, the bundled corpus (Corpus/) is read.")

    @Argument(help: "Text files or folders of .txt files.")
    var files: [String] = []

    @OptionGroup var text: TextOptions

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func run() throws {
        let paths = files.isEmpty ? [CorpusLocation.defaultPath] : files
        let loaded = try paths.flatMap { try loadTextFiles(at: $0, encoding: text.encoding) }
        let tokenizer = Tokenizer(options: text.tokenizerOptions)
        let stats = TextStatistics(texts: loaded.map(\.text), tokenizer: tokenizer)
        if json {
            print(try JSON.encode(stats))
            return
        }
        print("files                  \(loaded.count)")
        print("bytes                  \(stats.bytes)")
        print("scalars                \(stats.scalars)")
        print("graphemes              \(stats.graphemes)")
        print("distinct tokens        \(stats.vocabularySize)")
        print("changed by \(text.normalization.rawValue.uppercased())\(String(repeating: " ", count: max(1, 12 - text.normalization.rawValue.count)))\(stats.normalizationChanges)")
        print("unknown tokens         \(stats.unknown)")
        print("most frequent:")
        for entry in stats.top {
            print("  \(displayable(entry.token))  \(entry.count)")
        }
    }
}

/// Makes whitespace tokens visible in a table.
func displayable(_ token: String) -> String {
    switch token {
    case " ": return "␠"
    case "\n": return "⏎"
    case "\t": return "⇥"
    default: return token
    }
}
