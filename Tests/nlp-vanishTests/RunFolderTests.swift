import Foundation
import XCTest

/// Run folders never lose work: no silent overwrite, one writer per folder, torn lines survived, and the tool
/// finds its corpus from any working directory (the rows of docs/errors.md on run folders).
final class RunFolderTests: XCTestCase {
    private let small = ["--hidden", "16", "--layers", "1", "--batch", "4", "--seq-len", "16", "--eval-every", "10",
                         "--sample-every", "0", "--schedule", "constant"]

    func testTrainRefusesToReplaceAnEarlierRunUnlessForced() throws {
        let dir = try ToolRunner.temporaryFolder(self).path
        XCTAssertEqual(try ToolRunner.run(["train", "--steps", "20", "--out", dir] + small).status, 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/best.safetensors"))
        let again = try ToolRunner.run(["train", "--steps", "20", "--seed", "9", "--out", dir] + small)
        XCTAssertEqual(again.status, 2)
        XCTAssertTrue(again.stderr.contains("already holds another run") && again.stderr.contains("--resume")
                      && again.stderr.contains("--force"), again.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/best.safetensors")), before, "nothing replaced")
        let forced = try ToolRunner.run(["train", "--steps", "20", "--seed", "9", "--force", "--out", dir] + small)
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/best.safetensors")), before)
        let resumed = try ToolRunner.run(["train", "--steps", "30", "--seed", "9", "--out", dir,
                                          "--resume", "\(dir)/last.safetensors"] + small)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
    }

    /// A second writer is refused with the holder's pid; a holder killed with -9 leaves no stale lock.
    func testOneWriterPerFolder() throws {
        let dir = try ToolRunner.temporaryFolder(self).path
        let holder = Process()
        holder.executableURL = ToolRunner.binary
        holder.arguments = ["train", "--steps", "1000000", "--out", dir] + small
        holder.currentDirectoryURL = ToolRunner.projectRoot
        holder.standardOutput = FileHandle.nullDevice
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: "\(dir)/log.jsonl") && Date() < deadline { usleep(20_000) }
        let second = try ToolRunner.run(["train", "--steps", "10", "--force", "--out", dir] + small)
        XCTAssertEqual(second.status, 1)
        XCTAssertTrue(second.stderr.contains("in use by another nlp-vanish process (pid \(holder.processIdentifier))"),
                      second.stderr)
        let study = try ToolRunner.run(["study", "--out", dir, "--distances", "3", "--variants", "tanh:xavier",
                                        "--hidden", "4", "--seeds", "1", "--steps", "10"])
        XCTAssertEqual(study.status, 1)
        XCTAssertTrue(study.stderr.contains("in use by another nlp-vanish process"), study.stderr)
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        let after = try ToolRunner.run(["train", "--steps", "10", "--force", "--out", dir] + small)
        XCTAssertEqual(after.status, 0, after.stderr)
    }

    /// A line cut short by a kill mid-append is skipped by readers and cut off by the next writer.
    func testTornLastLinesAreSkippedAndRepaired() throws {
        let dir = try ToolRunner.temporaryFolder(self).path
        let study = ["study", "--out", "\(dir)/s", "--distances", "3,5", "--variants", "tanh:xavier", "--hidden", "4",
                     "--seeds", "1", "--steps", "20", "--eval-every", "10", "--threads", "1"]
        XCTAssertEqual(try ToolRunner.run(study).status, 0)
        let results = "\(dir)/s/results.jsonl"
        let whole = try String(contentsOfFile: results, encoding: .utf8)
        let lines = whole.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        // The second run's record torn half-way, as a kill mid-write leaves it.
        try (lines[0] + "\n" + lines[1].prefix(lines[1].count / 2)).write(toFile: results, atomically: false, encoding: .utf8)
        let report = try ToolRunner.run(["report", "\(dir)/s", "--out", "\(dir)/merged"])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stderr.contains("incomplete last line"), report.stderr)
        let rerun = try ToolRunner.run(study)
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertTrue(rerun.stderr.contains("dropped an incomplete last line"), rerun.stderr)
        XCTAssertTrue(rerun.stderr.contains("1 of 2 runs already in"), rerun.stderr)
        // The torn run redone to the same record (its wall time aside), and the file whole again.
        func records(_ text: String) throws -> [NSDictionary] {
            try text.split(separator: "\n").map {
                var record = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
                record["seconds"] = nil
                return NSDictionary(dictionary: record)
            }
        }
        XCTAssertEqual(try records(String(contentsOfFile: results, encoding: .utf8)), try records(whole))

        XCTAssertEqual(try ToolRunner.run(["train", "--steps", "20", "--out", "\(dir)/t"] + small).status, 0)
        let log = "\(dir)/t/log.jsonl"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        handle.seekToEndOfFile()
        handle.write(Data("{\"step\": 2".utf8))
        try handle.close()
        let resumed = try ToolRunner.run(["train", "--steps", "30", "--out", "\(dir)/t", "--resume",
                                          "\(dir)/t/last.safetensors"] + small)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        for line in try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n") {
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(line.utf8)), String(line))
        }
    }

    /// Installed as `make install` lays it out (bin/ and share/nlp-vanish/Corpus), the binary finds the bundled
    /// corpus from another working directory, and says where it reads it from.
    func testRunsFromAnyFolder() throws {
        let prefix = try ToolRunner.temporaryFolder(self)
        let bin = prefix.appendingPathComponent("bin"), share = prefix.appendingPathComponent("share/nlp-vanish/Corpus")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: share.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: ToolRunner.binary, to: bin.appendingPathComponent("nlp-vanish"))
        try FileManager.default.copyItem(at: ToolRunner.projectRoot.appendingPathComponent("Corpus"), to: share)
        let elsewhere = try ToolRunner.temporaryFolder(self)
        var environment = ProcessInfo.processInfo.environment
        environment["NLP_VANISH_CORPUS"] = nil
        let installed = bin.appendingPathComponent("nlp-vanish")
        let version = try ToolRunner.run(["--version"], in: elsewhere, binary: installed, environment: environment)
        XCTAssertTrue(version.stdout.contains("bundled corpus: \(share.path)"), version.stdout)
        let flow = try ToolRunner.run(["gradflow", "--variants", "tanh:xavier", "--layers", "1", "--length", "20",
                                       "--seeds", "1"], in: elsewhere, binary: installed, environment: environment)
        XCTAssertEqual(flow.status, 0, flow.stderr)
        let built = try ToolRunner.run(["tokenize"], in: elsewhere, environment: environment)
        XCTAssertEqual(built.status, 0, built.stderr)
        XCTAssertTrue(built.stdout.contains("graphemes"), built.stdout)
    }

    /// A study folder keeps one set of settings: a rerun with others is refused, a larger grid is added to it, and
    /// summary.json records numbers as numbers and the learning rate as typed, true of every row.
    func testAStudyFolderNeverMixesSettings() throws {
        let dir = try ToolRunner.temporaryFolder(self).path
        let base = ["study", "--out", dir, "--variants", "tanh:xavier", "--hidden", "4", "--seeds", "1",
                    "--steps", "10", "--lr", "0.001", "--threads", "1"]
        XCTAssertEqual(try ToolRunner.run(base + ["--distances", "3"]).status, 0)
        let other = try ToolRunner.run(base + ["--distances", "3", "--steps", "20"])
        XCTAssertEqual(other.status, 2)
        XCTAssertTrue(other.stderr.contains("other settings (steps = 10 there, 20 here)"), other.stderr)
        XCTAssertEqual(try ToolRunner.run(base + ["--distances", "5"]).status, 0)
        let summary = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/summary.json"))) as! [String: Any]
        let configuration = try XCTUnwrap(summary["configuration"] as? [String: Any])
        XCTAssertEqual(configuration["hidden"] as? Int, 4)
        XCTAssertEqual(configuration["distances"] as? [Int], [3, 5], "the grid of the rows, not of the last command")
        XCTAssertEqual(configuration["lr"] as? Double, 0.001)
        let lines = try String(contentsOfFile: "\(dir)/runs.csv", encoding: .utf8).split(separator: "\n")
        let lr = try XCTUnwrap(lines[0].split(separator: ",").firstIndex(of: "lr"))
        let rows = lines.dropFirst()
        XCTAssertEqual(rows.count, 2)
        XCTAssertTrue(rows.allSatisfy { $0.split(separator: ",")[lr] == "0.001" }, "\(rows)")
    }
}
