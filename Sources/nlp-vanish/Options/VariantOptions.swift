import ArgumentParser
import SeqStudy

/// The networks a study or a gradient-flow measurement compares: which variants, and how wide.
struct VariantOptions: ParsableArguments {
    @Option(help: "Variants, comma-separated: activation:init for the Elman cell (tanh:xavier, relu:identity), or lstm, gru, indrnn with an optional :init (lstm:forget1).")
    var variants = Variant.defaults.map(\.description).joined(separator: ",")
    @Option(help: "Hidden units (1…1024).")
    var hidden = 64

    func check() throws {
        _ = try ListArgument.variants(variants)
        try requireRange(hidden, "hidden", 1...1024)
    }

    /// Valid once `check()` has passed.
    var parsed: [Variant] { (try? ListArgument.variants(variants)) ?? [] }
}

/// The text the dependency tasks draw their filler from.
struct FillerOptions: ParsableArguments {
    @Option(help: "Text for the filler (a file or a folder of .txt files).")
    var corpus: String = CorpusLocation.defaultPath
    @OptionGroup var text: TextOptions

    func load() throws -> StudyFiller { try StudyFiller(corpus: corpus, options: text) }
}
