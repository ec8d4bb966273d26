import Foundation
import XCTest

/// Every row of docs/errors.md: the built binary meets bad input and answers with the documented exit code and a
/// message that names the problem — never a trap.
final class BadInputTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws {
        dir = try ToolRunner.temporaryFolder(self).path
    }

    private func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = "\(dir)/\(name)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func expect(_ arguments: [String], status: Int32, message: String,
                        file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try ToolRunner.run(arguments)
        XCTAssertEqual(r.status, status, "\(arguments): \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.contains(message), "\(arguments): expected «\(message)» in «\(r.stderr)»", file: file, line: line)
        XCTAssertFalse(r.stderr.contains("Fatal error") || r.stderr.contains("crashed"), r.stderr, file: file, line: line)
    }

    private var portuguese: [UInt8] { Array("A ação começa à noite, junto ao rio.\n".utf8) }

    // MARK: corpus

    func testCorpusProblems() throws {
        try expect(["train", "--corpus", "\(dir)/missing"], status: 1, message: "no such file or folder")
        try FileManager.default.createDirectory(atPath: "\(dir)/empty-folder", withIntermediateDirectories: true)
        try expect(["train", "--corpus", "\(dir)/empty-folder"], status: 1, message: "no .txt files")
        try expect(["train", "--corpus", try file("empty.txt", [])], status: 1, message: "empty")
        let bad = try file("bad.txt", portuguese + [0x61, 0xE3, 0x28, 0x61])
        try expect(["tokenize", bad], status: 1, message: "invalid UTF-8 at byte \(portuguese.count + 1) (0xE3 0x28)")
        let latin1 = try file("latin1.txt", [0x61, 0xE7, 0xE3, 0x6F, 0x0A])   // "ação" in ISO-8859-1
        try expect(["tokenize", latin1], status: 1, message: "if the file is Latin-1, pass --encoding latin1")
        XCTAssertEqual(try ToolRunner.run(["tokenize", latin1, "--encoding", "latin1"]).status, 0)
        try expect(["tokenize", try file("nul.txt", portuguese + [0, 0x61])], status: 1, message: "NUL byte at byte \(portuguese.count)")
        try expect(["train", "--corpus", try file("short.txt", portuguese)], status: 1, message: "fewer than one window needs")
        try FileManager.default.createDirectory(atPath: "\(dir)/unreadable/folder.txt", withIntermediateDirectories: true)
        try expect(["tokenize", "\(dir)/unreadable/folder.txt"], status: 1, message: "folder.txt")
    }

    func testOneRepeatedCharacterAndALongLineAreFine() throws {
        let same = try file("same.txt", Array(repeating: 0x61, count: 40_000))
        let r = try ToolRunner.run(["train", "--corpus", same, "--steps", "3", "--hidden", "8", "--layers", "1",
                                    "--out", "\(dir)/run", "--sample-every", "0"])
        XCTAssertEqual(r.status, 0, r.stderr)
        var line = [UInt8]()
        line.reserveCapacity(50_000_000)
        while line.count < 50_000_000 { line += portuguese.dropLast() }
        let long = try file("long.txt", line)
        let t = try ToolRunner.run(["tokenize", long, "--json"])
        XCTAssertEqual(t.status, 0, t.stderr)
        XCTAssertTrue(t.stdout.contains("\"bytes\":\(line.count)"))
    }

    // MARK: options

    func testOptionsOutOfRange() throws {
        for flag in ["--hidden", "--layers", "--batch", "--seq-len"] {
            try expect(["train", flag, "0"], status: 2, message: "\(flag) must be between")
            try expect(["train", flag, "-3"], status: 2, message: flag)
            try expect(["train", flag, "many"], status: 2, message: flag)
        }
        try expect(["train", "--hidden", "100000"], status: 2, message: "--hidden must be between 1 and 4096")
        try expect(["train", "--hidden", "4096", "--layers", "16", "--batch", "1024", "--seq-len", "4096"],
                   status: 2, message: "GB of memory")
        try expect(["profile", "--threads", "3"], status: 2, message: "--threads must be between 1 and 2 (got 3)")
        try expect(["profile", "--threads", "2", "--batch", "1"], status: 2, message: "needs --batch 2 or more (got 1)")
        try expect(["train", "--lr", "0"], status: 2, message: "--lr must be a positive number")
        try expect(["train", "--lr", "nan"], status: 2, message: "--lr must be a positive number")
        try expect(["train", "--dropout", "1"], status: 2, message: "--dropout must be between 0 and 0.9 (got 1.0)")
        try expect(["train", "--weight-decay", "nan"], status: 2, message: "--weight-decay must be ≥ 0")
        try expect(["train", "--weight-drop", "0.95"], status: 2, message: "--weight-drop must be between 0 and 0.9 (got 0.95)")
        try expect(["train", "--reset-share", "1.5"], status: 2, message: "--reset-share must be between 0 and 1")
        try expect(["train", "--min-count", "0"], status: 2, message: "--min-count must be between 1 and")
        try expect(["train", "--direct-orders", "9"], status: 2, message: "--direct-orders must be between 0 and 8 (got 9)")
        try expect(["train", "--direct-bits", "30"], status: 2, message: "--direct-bits must be between 16 and 26 (got 30)")
        try expect(["train", "--direct-lr", "0"], status: 2, message: "--direct-lr must be > 0 (got 0.0)")
        try expect(["train", "--schedule", "linear"], status: 2, message: "--schedule")
        try expect(["sample", "--checkpoint", "x", "--temperature", "-1"], status: 2, message: "--temperature must be ≥ 0")
        try expect(["study", "--distances", ""], status: 2, message: "--distances must be a comma-separated list")
        try expect(["study", "--distances", "5,x"], status: 2, message: "--distances must be a comma-separated list")
        try expect(["study", "--distances", "900000", "--seeds", "1"], status: 2, message: "--distances must be between")
        try expect(["study", "--distances", "500", "--variants", "tanh:xavier", "--seeds", "1", "--out", "\(dir)/s",
                    "--corpus", try file("small.txt", Array(String(repeating: "uma frase curta. ", count: 20).utf8))],
                   status: 2, message: "too long for the filler text")
        try expect(["study", "--distances", "99000", "--hidden", "1024"], status: 2, message: "GB of memory")
        try expect(["study", "--shard", "3/2"], status: 2, message: "--shard must be K/N with 1 ≤ K ≤ N")
        try expect(["study", "--variants", "gelu:xavier"], status: 2, message: "'gelu:xavier' is not a variant")
        try expect(["study", "--variants", "lstm:identity"], status: 2, message: "'lstm:identity' is not a variant")
        try expect(["train", "--cell", "transformer"], status: 2, message: "--cell")
        try expect(["train", "--cell", "lstm", "--activation", "relu"], status: 2,
                   message: "--activation applies to --cell rnn or indrnn")
        try expect(["train", "--cell", "gru", "--init", "forget1"], status: 2,
                   message: "--init forget1 does not apply to --cell gru")
        try expect(["train", "--cell", "rnn", "--init", "indrnn"], status: 2, message: "--init indrnn does not apply to --cell rnn")
        try expect(["profile", "--cell", "lstm", "--activation", "tanh"], status: 2,
                   message: "--activation applies to --cell rnn or indrnn")
    }

    // MARK: checkpoints

    func testBrokenCheckpoints() throws {
        try expect(["sample", "--checkpoint", "\(dir)/none.safetensors"], status: 1, message: "no such checkpoint file")
        try expect(["sample", "--checkpoint", try file("zero.safetensors", [])], status: 1, message: "shorter than the 8-byte header length")
        let train = try ToolRunner.run(["train", "--steps", "2", "--hidden", "8", "--layers", "1", "--out", "\(dir)/run",
                                        "--sample-every", "0"])
        XCTAssertEqual(train.status, 0, train.stderr)
        let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(dir)/run/last.safetensors")))
        for cut in [4, 9, 100, good.count / 2, good.count - 1] {
            try expect(["inspect", "--checkpoint", try file("cut\(cut).safetensors", Array(good.prefix(cut)))],
                       status: 1, message: "not a valid safetensors file")
        }
        var flipped = good
        flipped[8] ^= 0x20   // '{' → '['
        try expect(["inspect", "--checkpoint", try file("flipped.safetensors", flipped)], status: 1, message: "header is not a JSON object")
        var huge = good
        huge[7] = 0x80
        try expect(["inspect", "--checkpoint", try file("huge.safetensors", huge)], status: 1, message: "runs past the end of the file")
        let foreign = try file("foreign.safetensors", Array(Data(base64Encoded: Self.pythonFile)!))
        try expect(["inspect", "--checkpoint", foreign], status: 1, message: "not an nlp-vanish checkpoint")
        try expect(["train", "--resume", "\(dir)/run/last.safetensors", "--hidden", "8", "--layers", "1",
                    "--corpus", try file("other.txt", Array(String(repeating: "xyz ", count: 5000).utf8))],
                   status: 1, message: "does not match the checkpoint's vocabulary")
        // Direct connections: a resume without them, and metadata that does not fit the table the file holds.
        try expect(["train", "--resume", "\(dir)/run/last.safetensors", "--hidden", "8", "--layers", "1",
                    "--direct-orders", "0", "--steps", "4", "--out", "\(dir)/run", "--sample-every", "0"],
                   status: 1, message: "the checkpoint has direct_orders = 6, this run asks for 0")
        let header = Array("\"direct_bits\":\"22\"".utf8)
        let at = try XCTUnwrap((0...(good.count - header.count)).first { Array(good[$0..<($0 + header.count)]) == header })
        var smaller = good
        smaller[at + header.count - 2] = UInt8(ascii: "1")    // "22" → "21"
        try expect(["inspect", "--checkpoint", try file("bits.safetensors", smaller)], status: 1,
                   message: "tensor \"direct.weight\" is missing or is not [2097152] (2^direct_bits, from the metadata)")
    }

    /// A file written by Python's safetensors package (metadata {"format": "pt"}, tensors "a" [2,2] and "b" [1]).
    static let pythonFile = "kAAAAAAAAAB7Il9fbWV0YWRhdGFfXyI6eyJmb3JtYXQiOiJwdCJ9LCJhIjp7ImR0eXBlIjoiRjMyIiwic2hhcGUiOlsyLDJdLCJkYXRhX29mZnNldHMiOlswLDE2XX0sImIiOnsiZHR5cGUiOiJGMzIiLCJzaGFwZSI6WzFdLCJkYXRhX29mZnNldHMiOlsxNiwyMF19fSAAAIA/AAAAwAAAAD8AAFBAAADgQA=="

    // MARK: numbers

    func testDivergenceIsCaughtNotTurnedIntoNaN() throws {
        try expect(["train", "--cell", "rnn", "--activation", "relu", "--init", "normal@1", "--optimizer", "sgd", "--lr", "5", "--clip", "0",
                    "--steps", "50", "--out", "\(dir)/div", "--sample-every", "0"],
                   status: 1, message: "training diverged at step")
        let study = try ToolRunner.run(["study", "--variants", "relu:normal@1", "--optimizer", "sgd", "--lr", "5", "--clip", "0",
                                        "--distances", "20", "--seeds", "1", "--steps", "50", "--out", "\(dir)/divstudy"])
        XCTAssertEqual(study.status, 0, study.stderr)
        let rows = try String(contentsOfFile: "\(dir)/divstudy/runs.csv", encoding: .utf8).split(separator: "\n")
        let header = rows[0].split(separator: ",", omittingEmptySubsequences: false)
        let values = rows[1].split(separator: ",", omittingEmptySubsequences: false)
        XCTAssertEqual(values[header.firstIndex(of: "diverged")!], "true")
    }

    // MARK: output

    func testOutputThatCannotBeWritten() throws {
        try expect(["train", "--steps", "2", "--out", "/proc/nlp-vanish-cannot", "--hidden", "8"], status: 1,
                   message: "cannot create the output folder /proc/nlp-vanish-cannot")
        try FileManager.default.createDirectory(atPath: "\(dir)/full", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: "\(dir)/full/log.jsonl", withDestinationPath: "/dev/full")
        try expect(["train", "--steps", "60", "--force", "--out", "\(dir)/full", "--hidden", "8", "--layers", "1", "--sample-every", "0"],
                   status: 1, message: "No space left on device")
        try FileManager.default.createDirectory(atPath: "\(dir)/fullstudy", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: "\(dir)/fullstudy/results.jsonl", withDestinationPath: "/dev/full")
        try expect(["study", "--out", "\(dir)/fullstudy", "--distances", "3", "--variants", "tanh:xavier", "--seeds", "1",
                    "--steps", "5", "--hidden", "4"], status: 1, message: "No space left on device")
    }
}
