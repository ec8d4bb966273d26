import Foundation
import XCTest
import SeqTraining

/// train → sample → eval → inspect through the built binary, and exact resume.
final class LanguageModelCommandTests: XCTestCase {
    /// A small, fast configuration on the bundled corpus.
    private let small = ["--hidden", "32", "--layers", "2", "--batch", "4", "--seq-len", "16",
                         "--eval-every", "50", "--sample-every", "0", "--seed", "3"]

    func testTrainSampleEvalInspect() throws {
        let dir = try ToolRunner.temporaryFolder(self).path
        let train = try ToolRunner.run(["train", "--steps", "60", "--out", dir] + small)
        XCTAssertEqual(train.status, 0, train.stderr)
        XCTAssertTrue(train.stdout.contains("validation bits per character"))
        XCTAssertFalse(train.stderr.contains("may be diverging"), train.stderr)
        for file in ["last.safetensors", "best.safetensors", "log.jsonl"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(dir)/\(file)"), file)
        }
        let logLines = try String(contentsOfFile: "\(dir)/log.jsonl", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(logLines.count, 3)   // the header, step 50 (an evaluation), 60 (the last, always evaluated)
        let header = try JSONSerialization.jsonObject(with: Data(logLines[0].utf8)) as! [String: Any]
        let baseline = try XCTUnwrap(header["baseline_val_bpc"] as? Double)
        XCTAssertTrue(baseline > 1 && baseline < 4, "the 7-gram's validation bits per character: \(baseline)")
        XCTAssertTrue(train.stdout.contains(String(format: "the 7-gram baseline: %.3f", baseline)), train.stdout)
        let first = try JSONSerialization.jsonObject(with: Data(logLines[1].utf8)) as! [String: Any]
        for key in ["step", "train_loss", "val_loss", "val_bpc", "grad_norm", "clip_events", "lr", "chars_per_s"] {
            XCTAssertNotNil(first[key], key)
        }

        let sample = try ToolRunner.run(["sample", "--checkpoint", "\(dir)/last.safetensors", "--prime", "O mar",
                                         "--length", "40", "--seed", "5"])
        XCTAssertEqual(sample.status, 0, sample.stderr)
        XCTAssertTrue(sample.stdout.hasPrefix("O mar"))
        XCTAssertEqual(sample.stdout.dropLast().count, 5 + 40)   // whole graphemes
        let again = try ToolRunner.run(["sample", "--checkpoint", "\(dir)/last.safetensors", "--prime", "O mar",
                                        "--length", "40", "--seed", "5"])
        XCTAssertEqual(again.stdout, sample.stdout, "same seed, same text")

        let eval = try ToolRunner.run(["eval", "--checkpoint", "\(dir)/best.safetensors", "--text",
                                       "Corpus/poemas.txt", "--json"])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        let result = try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as! [String: Any]
        let bpc = try XCTUnwrap(result["bits_per_char"] as? Double)
        XCTAssertEqual(bpc, (result["loss_nats"] as! Double) / log(2), accuracy: 1e-9)
        XCTAssertGreaterThan(bpc, 1)
        XCTAssertLessThan(bpc, log2(130.0))   // better than uniform after 60 steps

        let inspect = try ToolRunner.run(["inspect", "--checkpoint", "\(dir)/last.safetensors", "--json"])
        XCTAssertEqual(inspect.status, 0, inspect.stderr)
        let info = try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(info["step"] as? Int, 60)
        XCTAssertEqual(info["hidden"] as? Int, 32)
    }

    /// A rate far too high lifts validation above its best (5.242 bits at step 60 against 4.972 at step 40, then
    /// higher still): train warns once, at the first such validation, and trains on.
    func testTrainWarnsOnceWhenValidationRisesATenthAboveItsBest() throws {
        let dir = try ToolRunner.temporaryFolder(self).path
        let r = try ToolRunner.run(["train", "--steps", "100", "--lr", "0.2", "--clip", "0", "--eval-every", "20",
                                    "--hidden", "32", "--layers", "2", "--batch", "4", "--seq-len", "16",
                                    "--sample-every", "0", "--seed", "3", "--out", dir])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr.components(separatedBy: "may be diverging").count - 1, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("warning: validation at step 60 is "), r.stderr)
        XCTAssertTrue(r.stdout.contains("validation bits per character"))
    }

    /// Two threads compute the same bits as one.
    func testTwoThreadsTrainLikeOne() throws {
        let dir = try ToolRunner.temporaryFolder(self).path
        for threads in [1, 2] {
            let r = try ToolRunner.run(["train", "--steps", "60", "--threads", "\(threads)", "--weight-drop", "0.3",
                                        "--out", "\(dir)/t\(threads)"] + small)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let a = try Checkpoint.read("\(dir)/t1/last.safetensors"), b = try Checkpoint.read("\(dir)/t2/last.safetensors")
        XCTAssertEqual(a.tensors.map { $0.values.map(\.bitPattern) }, b.tensors.map { $0.values.map(\.bitPattern) })
    }

    /// Every cell trains through the binary: two threads give the bits of one, and for the LSTM (whose checkpoint
    /// carries the cell state too) 40 steps and 20 + resume + 20 give the same bits; inspect names the cell.
    func testEveryCellTrainsSplitsAndResumesExactly() throws {
        let dir = try ToolRunner.temporaryFolder(self).path
        let tiny = ["--hidden", "16", "--layers", "2", "--batch", "4", "--seq-len", "12", "--eval-every", "20",
                    "--sample-every", "0", "--seed", "4", "--schedule", "constant"]
        func bits(_ path: String) throws -> [[UInt32]] {
            try Checkpoint.read(path).tensors.map { $0.values.map(\.bitPattern) }
        }
        for cell in ["lstm", "gru", "indrnn"] {
            // The ReLU IndRNN's bound |u| ≤ 2^(1/12) lets this tiny model's state grow without bound over the
            // 116,763-step validation stream (train then fails, as it should); its tanh variant stays finite.
            let activation = cell == "indrnn" ? ["--activation", "tanh"] : []
            for threads in [1, 2] {
                let r = try ToolRunner.run(["train", "--cell", cell, "--steps", "40", "--threads", "\(threads)",
                                            "--out", "\(dir)/\(cell)\(threads)"] + tiny + activation)
                XCTAssertEqual(r.status, 0, r.stderr)
            }
            XCTAssertEqual(try bits("\(dir)/\(cell)1/last.safetensors"), try bits("\(dir)/\(cell)2/last.safetensors"), cell)
            let inspect = try ToolRunner.run(["inspect", "--checkpoint", "\(dir)/\(cell)1/last.safetensors", "--json"])
            let info = try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as! [String: Any]
            XCTAssertEqual(info["cell"] as? String, cell)
        }
        let unbounded = try ToolRunner.run(["train", "--cell", "indrnn", "--steps", "40", "--threads", "1",
                                            "--out", "\(dir)/unbounded"] + tiny)
        XCTAssertEqual(unbounded.status, 1, unbounded.stderr)
        XCTAssertTrue(unbounded.stderr.contains("warning: validation at step 20 is not finite"), unbounded.stderr)
        XCTAssertTrue(unbounded.stderr.contains("training ended with a validation loss that is NaN or infinite"),
                      unbounded.stderr)
        XCTAssertNotNil(try? Checkpoint.read("\(dir)/unbounded/last.safetensors"), "the diverged model is kept")
        let nanEval = try ToolRunner.run(["eval", "--checkpoint", "\(dir)/unbounded/last.safetensors", "--text",
                                          "Corpus/poemas.txt"])
        XCTAssertEqual(nanEval.status, 1, nanEval.stdout)
        XCTAssertTrue(nanEval.stderr.contains("is not finite"), nanEval.stderr)
        let folder = try ToolRunner.run(["eval", "--checkpoint", "\(dir)/unbounded", "--text", "Corpus/poemas.txt"])
        XCTAssertEqual(folder.status, 1)
        XCTAssertTrue(folder.stderr.contains("is a folder; give a checkpoint file in it"), folder.stderr)
        let half = try ToolRunner.run(["train", "--cell", "lstm", "--steps", "20", "--threads", "1", "--out",
                                       "\(dir)/resumed"] + tiny)
        XCTAssertEqual(half.status, 0, half.stderr)
        XCTAssertNotNil(try Checkpoint.read("\(dir)/resumed/last.safetensors")["state.c_l1"], "the LSTM's c_T is saved")
        let rest = try ToolRunner.run(["train", "--cell", "lstm", "--steps", "40", "--threads", "1", "--out", "\(dir)/resumed",
                                       "--resume", "\(dir)/resumed/last.safetensors"] + tiny)
        XCTAssertEqual(rest.status, 0, rest.stderr)
        XCTAssertEqual(try bits("\(dir)/lstm1/last.safetensors"), try bits("\(dir)/resumed/last.safetensors"))
        let other = try ToolRunner.run(["train", "--cell", "gru", "--steps", "40", "--threads", "1", "--out", "\(dir)/resumed",
                                        "--resume", "\(dir)/resumed/last.safetensors"] + tiny)
        XCTAssertEqual(other.status, 1)
        XCTAssertTrue(other.stderr.contains("cell = lstm, this run asks for gru"), other.stderr)
    }

    /// 200 steps in one go and 100 + resume + 100 give bit-identical parameters and optimizer state, with dropout,
    /// weight drop, weight decay and zero-state windows on. (Lengthening a run needs a constant rate: a cosine's
    /// end is fixed.) A checkpoint without the weight_drop key (written before the option existed) resumes as 0.
    func testResumeIsExact() throws {
        let dir = try ToolRunner.temporaryFolder(self).path
        let recipe = small + ["--schedule", "constant", "--dropout", "0.2", "--weight-decay", "0.01",
                              "--reset-share", "0.1", "--weight-drop", "0.3"]
        let once = try ToolRunner.run(["train", "--steps", "200", "--out", "\(dir)/once"] + recipe)
        XCTAssertEqual(once.status, 0, once.stderr)
        let half = try ToolRunner.run(["train", "--steps", "100", "--out", "\(dir)/twice"] + recipe)
        XCTAssertEqual(half.status, 0, half.stderr)
        let cosine = try ToolRunner.run(["train", "--steps", "50", "--out", "\(dir)/cosine"] + small)
        XCTAssertEqual(cosine.status, 0, cosine.stderr)
        let lengthened = try ToolRunner.run(["train", "--steps", "100", "--out", "\(dir)/cosine", "--resume",
                                             "\(dir)/cosine/last.safetensors"] + small)
        XCTAssertEqual(lengthened.status, 1)
        XCTAssertTrue(lengthened.stderr.contains("total_steps = 50, this run asks for 100"), lengthened.stderr)
        let rest = try ToolRunner.run(["train", "--steps", "200", "--out", "\(dir)/twice",
                                       "--resume", "\(dir)/twice/last.safetensors"] + recipe)
        XCTAssertEqual(rest.status, 0, rest.stderr)
        let a = try Checkpoint.read("\(dir)/once/last.safetensors")
        let b = try Checkpoint.read("\(dir)/twice/last.safetensors")
        XCTAssertEqual(a.tensors.map(\.name), b.tensors.map(\.name))
        for (x, y) in zip(a.tensors, b.tensors) {
            XCTAssertEqual(x.values.map(\.bitPattern), y.values.map(\.bitPattern), x.name)
        }
        XCTAssertEqual(a.metadata, b.metadata)
        var older = try Checkpoint.read("\(dir)/cosine/last.safetensors")
        XCTAssertEqual(older.metadata.removeValue(forKey: "weight_drop"), "0.05", "the GRU's default")
        try Checkpoint.write(older, to: "\(dir)/older.safetensors")
        let asked = try ToolRunner.run(["train", "--steps", "50", "--out", "\(dir)/cosine",
                                        "--resume", "\(dir)/older.safetensors", "--force"] + small)
        XCTAssertEqual(asked.status, 1)
        XCTAssertTrue(asked.stderr.contains("weight_drop = nothing, this run asks for 0.05"), asked.stderr)
        let resumed = try ToolRunner.run(["train", "--steps", "50", "--weight-drop", "0", "--out", "\(dir)/cosine",
                                          "--resume", "\(dir)/older.safetensors", "--force"] + small)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
    }

    /// No cliff from the zero state. Trained only on carried states, a 600-step model of the seven original corpus
    /// files scores its own training file Corpus/poemas.txt, read from h = 0, far worse than uniform guessing:
    /// the zero state followed by "S" throws it into a saturated state it never leaves. With a share of the
    /// windows started from the zero state (--reset-share), every file scores close to the validation figure.
    func testEvalFromTheZeroStateIsCloseToValidation() throws {
        let dir = try ToolRunner.temporaryFolder(self).path
        let corpus = "\(dir)/corpus"
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        let files = ["cartas", "contos", "dialogos", "ensaio-redes-recorrentes", "glossario", "poemas",
                     "receitas-e-instrucoes"]
        for name in files {
            try FileManager.default.copyItem(atPath: "Corpus/\(name).txt", toPath: "\(corpus)/\(name).txt")
        }
        let recipe = ["--corpus", corpus, "--cell", "rnn", "--hidden", "256", "--layers", "2", "--batch", "32", "--seq-len", "64",
                      "--steps", "600", "--eval-every", "600", "--sample-every", "0", "--threads", "2", "--seed", "1",
                      "--dropout", "0", "--schedule", "constant"]   // the recipe of the model that fell off the cliff
        func scores(resetShare: String, directOrders: String = "0") throws -> (validation: Double, files: [String: Double]) {
            let out = "\(dir)/reset-\(resetShare)-direct-\(directOrders)"
            let train = try ToolRunner.run(["train", "--reset-share", resetShare, "--direct-orders", directOrders,
                                            "--out", out] + recipe)
            XCTAssertEqual(train.status, 0, train.stderr)
            let log = try String(contentsOfFile: "\(out)/log.jsonl", encoding: .utf8).split(separator: "\n")
            let last = try JSONSerialization.jsonObject(with: Data(log.last!.utf8)) as! [String: Any]
            var files = [String: Double]()
            for name in ["poemas", "contos"] {
                let eval = try ToolRunner.run(["eval", "--checkpoint", "\(out)/last.safetensors", "--text",
                                               "\(corpus)/\(name).txt", "--json"])
                XCTAssertEqual(eval.status, 0, eval.stderr)
                let result = try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as! [String: Any]
                files[name] = try XCTUnwrap(result["bits_per_char"] as? Double)
            }
            return (try XCTUnwrap(last["val_bpc"] as? Double), files)
        }
        let carriedOnly = try scores(resetShare: "0")
        XCTAssertGreaterThan(carriedOnly.files["poemas"]!, carriedOnly.validation + 3, "the cliff this guards against")
        let withResets = try scores(resetShare: "0.05")
        for (name, bpc) in withResets.files {
            XCTAssertLessThan(bpc, withResets.validation + 0.3, "\(name) from the zero state")
        }
        // Direct connections know nothing before the text begins, so they add no cliff of their own.
        let direct = try scores(resetShare: "0.05", directOrders: "6")
        for (name, bpc) in direct.files {
            XCTAssertLessThan(bpc, direct.validation + 0.3, "\(name) from the zero state, with direct connections")
        }
    }
}
