import ArgumentParser
import Tokenizer
import SeqModel

/// `nlp-vanish sample`: text from a trained checkpoint.
struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Generate text from a checkpoint.")

    @Option(help: "A checkpoint written by train.")
    var checkpoint: String
    @Option(help: "Text to start from (tokenised with the checkpoint's options).")
    var prime = ""
    @Option(help: "Graphemes to generate (1…1000000).")
    var length = 500
    @Option(parsing: .unconditional, help: "Softmax temperature; 0 picks the most likely token every time.")
    var temperature: Float = 0.8
    @Option(name: .customLong("top-k"), help: "Draw only among the K most likely tokens (0 = all).")
    var topK = 0
    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    func validate() throws {
        try requireRange(length, "length", 1...1_000_000)
        try requireRange(topK, "top-k", 0...1_000_000)
        guard temperature >= 0, temperature.isFinite else {
            throw ValidationError("--temperature must be ≥ 0 (got \(temperature))")
        }
    }

    func run() throws {
        let loaded = try LoadedCheckpoint(path: checkpoint)
        let graphemes = loaded.tokenizer.graphemes(prime)
        let (ids, unknownCount, unknown) = loaded.vocabulary.encode(graphemes)
        if unknownCount > 0 {
            printError("warning: the checkpoint's vocabulary lacks \(unknown.map { "'\(displayable($0))'" }.joined(separator: " ")); "
                       + "mapped to <unk>")
        }
        let start = ids.isEmpty ? [loaded.vocabulary.id("\n") ?? 0] : ids
        var rng = Xoshiro256StarStar(seed: seed)
        let out = Sampler(model: loaded.model).sample(prime: start, length: length, temperature: temperature,
                                                      topK: topK, rng: &rng)
        print(prime + loaded.vocabulary.decode(out))
    }
}
