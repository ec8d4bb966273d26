import Foundation
import XCTest

/// study → shards → report through the built binary: the union of shards is the full grid, merged results
/// equal an unsharded run row for row, and every output file has its columns.
final class StudyCommandTests: XCTestCase {
    private let tiny = ["--distances", "3,6", "--variants", "tanh:xavier,relu:identity", "--hidden", "8",
                        "--seeds", "2", "--steps", "30", "--eval-every", "10", "--batch", "8"]

    private func csvRows(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func testShardsMergeIntoTheSameResultsAsOneRun() throws {
        let dir = try ToolRunner.temporaryFolder(self).path
        let whole = try ToolRunner.run(["study", "--out", "\(dir)/whole", "--threads", "2"] + tiny)
        XCTAssertEqual(whole.status, 0, whole.stderr)
        for k in 1...3 {
            let shard = try ToolRunner.run(["study", "--out", "\(dir)/shard\(k)", "--shard", "\(k)/3", "--threads", "1"] + tiny)
            XCTAssertEqual(shard.status, 0, shard.stderr)
            // A shard holds different distances for different variants; its table has a column for each,
            // so every row has as many cells (separated by two or more spaces) as the header.
            let table = shard.stdout.split(separator: "\n", omittingEmptySubsequences: false)
                .drop { !$0.hasPrefix("variant") }.prefix { !$0.isEmpty && !$0.hasPrefix("•") }
            XCTAssertGreaterThan(table.count, 1, shard.stdout)
            func cells(_ row: Substring) -> Int { row.components(separatedBy: "  ").filter { !$0.isEmpty }.count }
            for row in table { XCTAssertEqual(cells(row), cells(table.first!), "\(row)\n\(shard.stdout)") }
        }
        let report = try ToolRunner.run(["report", "\(dir)/shard1", "\(dir)/shard2", "\(dir)/shard3", "--out", "\(dir)/merged"])
        XCTAssertEqual(report.status, 0, report.stderr)

        let header = try csvRows("\(dir)/whole/runs.csv")[0]
        for column in ["task", "activation", "init", "layers", "hidden", "distance", "seed", "steps", "solved",
                       "steps_to_solve", "test_accuracy", "test_loss", "chance", "grad_ratio_init", "grad_ratio_final",
                       "sigma_max_final", "dead_fraction", "saturated_fraction", "clip_events", "diverged", "seconds"] {
            XCTAssertTrue(header.split(separator: ",").contains(Substring(column)), column)
        }
        // Every column but the wall-clock seconds is identical, whatever the sharding or threads.
        func withoutSeconds(_ rows: [String]) -> [String] {
            rows.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",") }.sorted()
        }
        let wholeRows = withoutSeconds(try csvRows("\(dir)/whole/runs.csv"))
        XCTAssertEqual(wholeRows.count, 2 * 2 * 2)
        XCTAssertEqual(withoutSeconds(try csvRows("\(dir)/merged/runs.csv")), wholeRows)
        let shardCounts = try (1...3).map { try csvRows("\(dir)/shard\($0)/runs.csv").count - 1 }
        XCTAssertEqual(shardCounts.reduce(0, +), 8)

        for file in ["curves.csv", "gradients.csv", "summary.json", "report.html", "results.jsonl"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(dir)/merged/\(file)"), file)
        }
        XCTAssertEqual(try csvRows("\(dir)/whole/gradients.csv")[0], "run_id,layer,k,phase,quantity,norm")
        XCTAssertEqual(try csvRows("\(dir)/whole/curves.csv")[0],
                       "run_id,step,test_loss,test_accuracy,memory_gate_high,memory_gate_low")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/merged/summary.json"))) as! [String: Any]
        XCTAssertEqual((summary["lines"] as? [Any])?.count, 2)
        XCTAssertFalse((summary["verdict"] as? [String] ?? []).isEmpty)
    }

    /// A gated cell's memory gates are measured at every test during training: curves.csv gets the shares of
    /// gates above 0.97 and below 0.03, and the report draws them.
    func testGatedCellsRecordTheirMemoryGatesOverTraining() throws {
        let dir = try ToolRunner.temporaryFolder(self).path
        let study = try ToolRunner.run(["study", "--out", dir, "--distances", "3", "--variants", "gru,tanh:xavier",
                                        "--hidden", "8", "--seeds", "1", "--steps", "30", "--eval-every", "10", "--batch", "8"])
        XCTAssertEqual(study.status, 0, study.stderr)
        let rows = try csvRows("\(dir)/curves.csv").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let gru = rows.filter { $0[0].contains("/gru/") }, tanh = rows.filter { $0[0].contains("/tanh:xavier/") }
        XCTAssertEqual(gru.count, 3)
        for row in gru {
            let (high, low) = (Double(row[4])!, Double(row[5])!)
            XCTAssertTrue((0...1).contains(high) && (0...1).contains(low) && high + low <= 1, "\(row)")
        }
        XCTAssertTrue(tanh.allSatisfy { $0[4].isEmpty && $0[5].isEmpty })
        XCTAssertTrue(try String(contentsOfFile: "\(dir)/report.html", encoding: .utf8).contains("Memory gates during training"))
    }

    func testAStudyRunAgainSkipsFinishedRuns() throws {
        let dir = try ToolRunner.temporaryFolder(self).path
        XCTAssertEqual(try ToolRunner.run(["study", "--out", dir] + tiny).status, 0)
        let again = try ToolRunner.run(["study", "--out", dir] + tiny)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("8 of 8 runs already in"), again.stderr)
        XCTAssertEqual(try csvRows("\(dir)/runs.csv").count, 9)
    }

    func testGradflowPrintsTheDecayTable() throws {
        let dir = try ToolRunner.temporaryFolder(self).path
        let r = try ToolRunner.run(["gradflow", "--variants", "sigmoid:xavier,relu:identity", "--layers", "1,2",
                                    "--length", "60", "--hidden", "16", "--seeds", "1", "--out", dir])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("decay/step"))
        XCTAssertEqual(r.stdout.split(separator: "\n").filter { $0.hasPrefix("sigmoid:xavier") || $0.hasPrefix("relu:identity") }.count, 4)
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(dir)/gradflow.html"))
        XCTAssertEqual(try csvRows("\(dir)/gradflow.csv").count, 1 + (1 + 2) * 2 * 61)
    }
}
