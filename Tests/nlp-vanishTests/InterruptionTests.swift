import Foundation
import XCTest
import SeqModel
import SeqTraining

/// Stopping the tool at any moment loses nothing: Ctrl-C saves and exits 130, and even `kill -9` in the middle
/// of a checkpoint write leaves a complete checkpoint behind.
final class InterruptionTests: XCTestCase {
    private func start(_ arguments: [String]) throws -> Process {
        let p = Process()
        p.executableURL = ToolRunner.binary
        p.arguments = arguments
        p.currentDirectoryURL = ToolRunner.projectRoot
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Waits until `path` exists (the process is past set-up), at most 60 s.
    private func waitFor(_ path: String) {
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: path) && Date() < deadline { usleep(20_000) }
    }

    func testControlCDuringTrainingSavesAndExits130() throws {
        let dir = try ToolRunner.temporaryFolder(self).path
        let p = try start(["train", "--steps", "1000000", "--hidden", "16", "--layers", "1", "--batch", "4",
                           "--seq-len", "16", "--eval-every", "1000000", "--sample-every", "0", "--out", dir])
        waitFor("\(dir)/log.jsonl")
        usleep(300_000)
        p.interrupt()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 130)
        let saved = try Checkpoint.read("\(dir)/last.safetensors")
        XCTAssertGreaterThan(Int(saved.metadata["step"] ?? "0") ?? 0, 0)
    }

    func testSIGTERMDuringAStudyKeepsFinishedRunsAndResumes() throws {
        let dir = try ToolRunner.temporaryFolder(self).path
        let grid = ["study", "--out", dir, "--distances", "3,5,8,12", "--variants", "tanh:xavier,sigmoid:xavier",
                    "--hidden", "8", "--seeds", "2", "--steps", "400", "--eval-every", "400", "--threads", "1"]
        let p = try start(grid)
        waitFor("\(dir)/results.jsonl")
        p.terminate()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 130)
        let kept = try String(contentsOfFile: "\(dir)/results.jsonl", encoding: .utf8).split(separator: "\n").count
        XCTAssertGreaterThan(kept, 0)
        XCTAssertLessThan(kept, 16)
        let resumed = try ToolRunner.run(grid)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("\(kept) of 16 runs already in"), resumed.stderr)
        XCTAssertEqual(try String(contentsOfFile: "\(dir)/runs.csv", encoding: .utf8).split(separator: "\n").count, 17)
    }

    /// A checkpoint is written at every step here; killed at arbitrary moments, the process must always leave a
    /// `last.safetensors` that loads (the old one or the new one, never a mix).
    func testKillDashNineNeverLeavesACorruptCheckpoint() throws {
        let dir = try ToolRunner.temporaryFolder(self).path
        var rng = Xoshiro256StarStar(seed: 11)
        for round in 0..<6 {
            let p = try start(["train", "--steps", "1000000", "--hidden", "64", "--layers", "2", "--batch", "2",
                               "--seq-len", "8", "--eval-every", "1", "--sample-every", "0", "--out", dir]
                              + (round > 0 ? ["--resume", "\(dir)/last.safetensors"] : []))
            waitFor("\(dir)/last.safetensors")
            usleep(UInt32(50_000 + rng.below(400_000)))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationReason, .uncaughtSignal)
            XCTAssertNoThrow(try Checkpoint.read("\(dir)/last.safetensors"), "round \(round)")
            // A write deletes the temporary file an earlier round was killed in the middle of: at most the
            // last round's stays.
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir)
                .filter { $0.hasPrefix("last.safetensors.tmp-") }
            XCTAssertLessThanOrEqual(leftovers.count, 1, "round \(round): \(leftovers)")
        }
    }
}
