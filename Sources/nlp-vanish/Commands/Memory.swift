import ArgumentParser
import Foundation
import Tokenizer
import SeqModel
import SeqTraining
import SeqMemory

/// `nlp-vanish memory`: how far back trained language models actually use their context, on real text.
struct Memory: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "How far back a trained language model looks: context ablation and gradient reach on real text.",
        discussion: """
            For each checkpoint: bits per character when the model may use only the last k characters (k = 1, 2, \
            4, … up to --max-distance, and the whole stream), its effective context (the shortest k within 1% and \
            0.1% of the whole-stream figure), the same at Portuguese long-distance sites (closing marks, dialogue \
            dashes, gender endings), and the mean ‖∂ℓ_t/∂h_{t−k}‖ per layer (and the LSTM's c, and the input). \
            Give several checkpoints to compare them side by side.
            """)

    @Option(help: "A checkpoint written by train; repeat the option to compare several side by side.")
    var checkpoint: [String]
    @Option(help: "The text to measure on (a file or a folder of .txt files). [the held-out tail of the bundled corpus: the last 10% of each file, as train holds it out]")
    var text: String?
    @Option(help: "utf8 or latin1.")
    var encoding: TextEncoding = .utf8
    @Option(name: .customLong("max-distance"), help: "The longest context and gradient distance measured (2…4096); the context lengths are the powers of 2 up to it, and it.")
    var maxDistance = 256
    @Option(help: "Positions, evenly spaced, whose context is cut (16…100000); at most \(MemoryRun.reachPositions) of them for the gradient reach.")
    var positions = 2048
    @Option(help: "Threads (1 or 2); the figures are identical either way.")
    var threads = 2
    @Option(help: "Folder for memory.json, context.csv, reach.csv and memory.html (optional).")
    var out: String?
    @Flag(help: "Replace the files of an earlier measurement in --out (without it, memory refuses to).")
    var force = false
    @Flag(help: "Print the measurements as one JSON array (an object per checkpoint) instead of the tables.")
    var json = false

    func validate() throws {
        guard !checkpoint.isEmpty else { throw ValidationError("give at least one --checkpoint") }
        try requireRange(maxDistance, "max-distance", 2...4096)
        try requireRange(positions, "positions", 16...100_000)
        try requireRange(threads, "threads", 1...2)
    }

    func run() throws {
        if let out { try MemoryFiles.prepare(out, force: force) }
        // Every checkpoint and text is read and checked before the first is measured.
        let runs = try checkpoint.map { path in
            let loaded = try LoadedCheckpoint(path: path)
            let (tokens, source) = try textTokens(for: loaded)
            return try MemoryRun(loaded: loaded, tokens: tokens, textName: source, maxDistance: maxDistance,
                                 positions: positions, threads: threads)
        }
        var measured = try runs.map { try $0.measure() }
        MemoryMeasurement.disambiguateLabels(&measured)
        if json {
            print(try JSON.encode(measured))
        } else {
            for m in measured { printMemoryTables(m) }
            if measured.count > 1 { printMemorySideBySide(measured) }
        }
        if let out {
            try MemoryFiles.write(measured, to: out)
            if !json { print("\nreport: \(out)/memory.html") }
        }
    }

    /// The text as the checkpoint's tokenizer and vocabulary read it, and a name for it.
    private func textTokens(for loaded: LoadedCheckpoint) throws -> (tokens: [Int32], source: String) {
        let path = text ?? CorpusLocation.defaultPath
        let files = try loadTextFiles(at: path, encoding: encoding)
        var unknown = 0
        let perFile = files.map { file in
            let encoded = loaded.vocabulary.encode(loaded.tokenizer.graphemes(file.text))
            unknown += encoded.unknownCount
            return encoded.ids
        }
        if unknown > 0 {
            printError("warning: \(path): \(unknown) characters are not in the vocabulary of \(loaded.path) (read as <unk>)")
        }
        if text != nil { return (perFile.flatMap { $0 }, path) }
        return (CorpusSplit(files: perFile, validationFraction: 0.1).validation, "\(path) (held-out tail: 10% of each file)")
    }
}
