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
        for file in ["last.safetensors", "best.safetensors", "log.jsonl"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(dir)/\(file)"), file)
        }
        let logLines = try String(contentsOfFile: "\(dir)/log.jsonl", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(logLines.count, 2)   // step 50 (an evaluation) and 60 (the last step, always evaluated)
        let first = try JSONSerialization.jsonObject(with: Data(logLines[0].utf8)) as! [String: Any]
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

    /// Two threads compute the same bits as one.
    func testTwoThreadsTrainLikeOne() throws {
        let dir = try ToolRunner.temporaryFolder(self).path
        for threads in [1, 2] {
            let r = try ToolRunner.run(["train", "--steps", "60", "--threads", "\(threads)", "--out", "\(dir)/t\(threads)"] + small)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let a = try Checkpoint.read("\(dir)/t1/last.safetensors"), b = try Checkpoint.read("\(dir)/t2/last.safetensors")
        XCTAssertEqual(a.tensors.map { $0.values.map(\.bitPattern) }, b.tensors.map { $0.values.map(\.bitPattern) })
    }

    /// 200 steps in one go and 100 + resume + 100 give bit-identical parameters and optimizer state.
    func testResumeIsExact() throws {
        let dir = try ToolRunner.temporaryFolder(self).path
        let once = try ToolRunner.run(["train", "--steps", "200", "--out", "\(dir)/once"] + small)
        XCTAssertEqual(once.status, 0, once.stderr)
        let half = try ToolRunner.run(["train", "--steps", "100", "--out", "\(dir)/twice"] + small)
        XCTAssertEqual(half.status, 0, half.stderr)
        let rest = try ToolRunner.run(["train", "--steps", "200", "--out", "\(dir)/twice",
                                       "--resume", "\(dir)/twice/last.safetensors"] + small)
        XCTAssertEqual(rest.status, 0, rest.stderr)
        let a = try Checkpoint.read("\(dir)/once/last.safetensors")
        let b = try Checkpoint.read("\(dir)/twice/last.safetensors")
        XCTAssertEqual(a.tensors.map(\.name), b.tensors.map(\.name))
        for (x, y) in zip(a.tensors, b.tensors) {
            XCTAssertEqual(x.values.map(\.bitPattern), y.values.map(\.bitPattern), x.name)
        }
        XCTAssertEqual(a.metadata, b.metadata)
    }
}
