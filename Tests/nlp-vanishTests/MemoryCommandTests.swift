import Foundation
import XCTest

/// `nlp-vanish memory` through the built binary: tiny checkpoints of every cell, measured on real and on crafted
/// text, checked against `eval`, against themselves (threads, batching) and for their files and bad input.
final class MemoryCommandTests: XCTestCase {
    // MARK: shared checkpoints

    /// The four tiny checkpoints, trained once for the whole class: label → checkpoint path.
    private struct Checkpoints {
        let folder: URL
        /// In the order the tests pass them: tanh RNN (2 layers), LSTM (2 layers, on the whole bundled corpus, so
        /// its vocabulary holds every mark), GRU (1 layer), IndRNN (1 layer).
        let all: [(label: String, cell: String, layers: Int, path: String)]
        func path(_ cell: String) -> String { all.first { $0.cell == cell }!.path }
        var paths: [String] { all.map(\.path) }
    }

    /// Guarded by `lock` (XCTest runs the tests of a class one after another, but say so anyway).
    nonisolated(unsafe) private static var trained: Result<Checkpoints, Error>?
    private static let lock = NSLock()

    private func checkpoints() throws -> Checkpoints {
        Self.lock.lock()
        defer { Self.lock.unlock() }
        if Self.trained == nil { Self.trained = Result { try Self.train() } }
        return try Self.trained!.get()
    }

    private struct SetupFailure: Error, CustomStringConvertible { let description: String }

    private static func train() throws -> Checkpoints {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nlp-vanish-memory-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let common = ["--hidden", "16", "--steps", "30", "--batch", "4", "--seq-len", "16", "--eval-every", "30",
                      "--sample-every", "0", "--seed", "1", "--threads", "1"]
        // The ReLU IndRNN (its default) blows up reading a 38 000-character stream from the zero state (its
        // whole-stream figure is NaN after 30 steps), so the IndRNN here is a tanh one.
        let recipes: [(label: String, cell: String, layers: Int, extra: [String])] = [
            ("tanh:xavier", "rnn", 2, ["--corpus", "Corpus/poemas.txt"]),
            ("lstm", "lstm", 2, []),
            ("gru", "gru", 1, ["--corpus", "Corpus/poemas.txt"]),
            ("indrnn", "indrnn", 1, ["--corpus", "Corpus/poemas.txt", "--activation", "tanh"]),
        ]
        var all: [(label: String, cell: String, layers: Int, path: String)] = []
        for recipe in recipes {
            let out = folder.appendingPathComponent(recipe.cell).path
            let r = try ToolRunner.run(["train", "--cell", recipe.cell, "--layers", "\(recipe.layers)", "--out", out]
                                       + common + recipe.extra)
            guard r.status == 0 else { throw SetupFailure(description: "train \(recipe.cell): \(r.stderr)") }
            all.append((recipe.label, recipe.cell, recipe.layers, out + "/last.safetensors"))
        }
        return Checkpoints(folder: folder, all: all)
    }

    override class func tearDown() {
        lock.lock()
        if case .success(let c)? = trained { try? FileManager.default.removeItem(at: c.folder) }
        trained = nil
        lock.unlock()
        super.tearDown()
    }

    // MARK: helpers

    private let small = ["--text", "Corpus/poemas.txt", "--max-distance", "16", "--positions", "64"]

    private func memory(_ checkpoints: [String], _ arguments: [String],
                        file: StaticString = #filePath, line: UInt = #line) throws -> ToolRunner.Result {
        let r = try ToolRunner.run(["memory"] + checkpoints.flatMap { ["--checkpoint", $0] } + arguments)
        XCTAssertEqual(r.status, 0, "memory \(arguments): \(r.stderr)", file: file, line: line)
        return r
    }

    private func measurements(_ json: String, file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]],
                      "not a JSON array of objects: \(json.prefix(300))", file: file, line: line)
    }

    private func eval(_ checkpoint: String, _ text: String) throws -> (bits: Double, nats: Double, chars: Int, stderr: String) {
        let r = try ToolRunner.run(["eval", "--checkpoint", checkpoint, "--text", text, "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        return (try XCTUnwrap(o["bits_per_char"] as? Double), try XCTUnwrap(o["loss_nats"] as? Double),
                try XCTUnwrap(o["chars"] as? Int), r.stderr)
    }

    private func numbers(_ value: Any?, _ what: String, file: StaticString = #filePath, line: UInt = #line) -> [Double] {
        guard let array = value as? [Any] else {
            XCTFail("\(what) is not an array: \(String(describing: value))", file: file, line: line)
            return []
        }
        return array.map { v in
            guard let d = v as? Double, d.isFinite else {
                XCTFail("\(what): \(v) is not a finite number", file: file, line: line)
                return .nan
            }
            return d
        }
    }

    private func subsets(_ m: [String: Any]) -> [[String: Any]] { m["subsets"] as? [[String: Any]] ?? [] }
    private func curve(_ s: [String: Any]) -> [String: Any] { s["curve"] as? [String: Any] ?? [:] }
    private func reach(_ m: [String: Any]) -> [String: Any] { m["reach"] as? [String: Any] ?? [:] }

    private func write(_ text: String, _ name: String, in folder: URL) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func assertNoTrap(_ r: ToolRunner.Result, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse([132, 133, 134, 137, 139].contains(r.status), "a signal: \(r.status)", file: file, line: line)
        XCTAssertFalse(r.stderr.contains("Fatal error") || r.stderr.contains("Precondition failed")
                       || r.stderr.contains("crashed"), r.stderr, file: file, line: line)
    }

    // MARK: 1. every cell, as JSON

    /// Four cells in one run: one measurement each, in order, with the lengths, reach rows and figures they should
    /// have; every figure a finite number; the effective contexts are the curves' own.
    func testEveryCellIsMeasuredAsJSON() throws {
        let c = try checkpoints()
        let r = try memory(c.paths, small + ["--json"])
        let all = try measurements(r.stdout)
        XCTAssertEqual(all.count, 4)
        XCTAssertEqual(all.map { $0["label"] as? String }, c.all.map(\.label))
        for (m, expected) in zip(all, c.all) {
            let name = expected.label
            XCTAssertEqual(m["checkpoint"] as? String, expected.path, name)
            XCTAssertEqual(m["cell"] as? String, expected.cell, name)
            XCTAssertEqual(m["layers"] as? Int, expected.layers, name)
            XCTAssertEqual(m["hidden"] as? Int, 16, name)
            XCTAssertEqual(m["text"] as? String, "Corpus/poemas.txt", name)
            let bits = try XCTUnwrap(m["bits_per_character"] as? Double, name)
            XCTAssertTrue(bits.isFinite && bits > 1 && bits < 10, "\(name): \(bits) bits per character")
            XCTAssertNotNil(m["seconds"] as? Double, name)

            let subsets = self.subsets(m)
            XCTAssertEqual(subsets.first?["name"] as? String, "all positions", name)
            XCTAssertGreaterThan(subsets.count, 1, "\(name): poemas.txt has quotes and gender endings")
            for s in subsets {
                let what = "\(name) / \(s["name"] ?? "?")"
                let curve = self.curve(s)
                XCTAssertEqual(curve["lengths"] as? [Int], [1, 2, 4, 8, 16], what)
                let curveBits = numbers(curve["bits"], "\(what) bits")
                XCTAssertEqual(curveBits.count, 5, what)
                let unlimited = try XCTUnwrap(curve["unlimited_bits"] as? Double, what)
                XCTAssertTrue(unlimited.isFinite, what)
                if let errors = curve["gain_standard_errors"] {
                    let values = numbers(errors, "\(what) gain standard errors")
                    XCTAssertEqual(values.count, 5, what)
                    XCTAssertTrue(values.allSatisfy { $0 >= 0 }, "\(what): \(values)")
                }
                let n = try XCTUnwrap(curve["positions"] as? Int, what)
                XCTAssertTrue((1...64).contains(n), "\(what): \(n) positions")
                // The effective context is the shortest k within 1% (0.1%) of the whole stream, or absent.
                for (key, fraction) in [("effective_context1", 0.01), ("effective_context01", 0.001)] {
                    let expectedK = zip([1, 2, 4, 8, 16], curveBits).first { $0.1 <= (1 + fraction) * unlimited }?.0
                    XCTAssertEqual(s[key] as? Int, expectedK, "\(what) \(key)")
                }
            }
            XCTAssertEqual(subsets.first.map { curve($0)["positions"] as? Int }, 64, name)

            let reach = self.reach(m)
            XCTAssertEqual(reach["distance"] as? Int, 16, name)
            XCTAssertEqual(reach["positions"] as? Int, 64, name)
            let hidden = try XCTUnwrap(reach["hidden"] as? [Any], name)
            XCTAssertEqual(hidden.count, expected.layers, name)
            for (l, row) in hidden.enumerated() {
                let values = numbers(row, "\(name) h layer \(l + 1)")
                XCTAssertEqual(values.count, 17, name)
                XCTAssertTrue(values.allSatisfy { $0 >= 0 }, "\(name): a norm below 0")
                XCTAssertGreaterThan(values.first ?? 0, 0, "\(name): ‖∂ℓ_t/∂h_t‖ is 0")
            }
            let cell = try XCTUnwrap(reach["cell"] as? [Any], name)
            XCTAssertEqual(cell.count, expected.cell == "lstm" ? expected.layers : 0, name)
            for row in cell { XCTAssertEqual(numbers(row, "\(name) c").count, 17, name) }
            XCTAssertEqual(numbers(reach["input"], "\(name) input").count, 17, name)
        }
    }

    // MARK: 2. against eval

    /// The whole-stream figure is eval's, for every cell.
    func testWholeStreamFigureIsEvals() throws {
        let c = try checkpoints()
        let all = try measurements(try memory(c.paths, small + ["--json"]).stdout)
        XCTAssertEqual(all.count, c.all.count)
        for (m, checkpoint) in zip(all, c.all) {
            let e = try eval(checkpoint.path, "Corpus/poemas.txt")
            let bits = try XCTUnwrap(m["bits_per_character"] as? Double)
            XCTAssertEqual(bits, e.bits, accuracy: 1e-6 * e.bits, checkpoint.label)
            XCTAssertEqual(m["characters"] as? Int, e.chars, checkpoint.label)
        }
    }

    /// Without --text, the text is the held-out tail train validated on: the LSTM (trained on the bundled corpus)
    /// scores it as its log's last validation figure, over the same characters.
    func testDefaultTextIsTheHeldOutTailTrainValidatesOn() throws {
        let c = try checkpoints()
        let lstm = c.path("lstm")
        let m = try XCTUnwrap(try measurements(try memory([lstm], ["--max-distance", "16", "--positions", "16", "--json"]).stdout).first)
        XCTAssertTrue((m["text"] as? String ?? "").contains("held-out tail"), "\(m["text"] ?? "")")
        let log = try String(contentsOfFile: URL(fileURLWithPath: lstm).deletingLastPathComponent().path + "/log.jsonl",
                             encoding: .utf8).split(separator: "\n")
        let header = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(log[0].utf8)) as? [String: Any])
        let last = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(log[log.count - 1].utf8)) as? [String: Any])
        XCTAssertEqual(last["step"] as? Int, 30)
        let validation = try XCTUnwrap(last["val_bpc"] as? Double)
        XCTAssertEqual(try XCTUnwrap(m["bits_per_character"] as? Double), validation, accuracy: 1e-6 * validation)
        XCTAssertEqual(m["characters"] as? Int, (header["validation_tokens"] as? Int).map { $0 - 1 })
    }

    /// On a 10-character text with --max-distance 8 there is one position, p = 8, and each context length k is a
    /// short stream eval can score: the loss at p with only the last k characters is k·E(x_{9−k}…x_9) −
    /// (k − 1)·E(x_{9−k}…x_8) nats, and the whole-stream loss at p is 9·E(x_0…x_9) − 8·E(x_0…x_8). This pins down
    /// which characters each window reads (an off-by-one shows here, not in a mean over 64 positions).
    func testContextWindowsAreTheCharactersBeforeThePosition() throws {
        let c = try checkpoints()
        let folder = try ToolRunner.temporaryFolder(self)
        let text = Array("o mar azul")
        let k = 8
        XCTAssertEqual(text.count, k + 2)
        let textPath = try write(String(text), "ten.txt", in: folder)
        for cell in ["gru", "lstm"] {
            let checkpoint = c.path(cell)
            let m = try XCTUnwrap(try measurements(try memory([checkpoint], ["--text", textPath, "--max-distance", "\(k)",
                                                                            "--positions", "16", "--json"]).stdout).first)
            XCTAssertEqual(m["characters"] as? Int, k + 1, cell)
            XCTAssertEqual(subsets(m).count, 1, "\(cell): no long-distance sites in «o mar azul»")
            let curve = self.curve(subsets(m)[0])
            XCTAssertEqual(curve["positions"] as? Int, 1, cell)
            XCTAssertEqual(curve["lengths"] as? [Int], [1, 2, 4, 8], cell)
            XCTAssertEqual(reach(m)["positions"] as? Int, 1, cell)
            let bits = numbers(curve["bits"], "\(cell) bits")

            var part = 0
            func nats(_ slice: ArraySlice<Character>) throws -> Double {
                part += 1
                let e = try eval(checkpoint, try write(String(slice), "part\(part).txt", in: folder))
                XCTAssertEqual(e.chars, slice.count - 1)
                return e.nats * Double(e.chars)
            }
            for (i, length) in [1, 2, 4, 8].enumerated() where i < bits.count {
                let window = try nats(text[(k - length + 1)...(k + 1)])
                    - (length > 1 ? try nats(text[(k - length + 1)...k]) : 0)
                XCTAssertEqual(bits[i], window / log(2), accuracy: 1e-6, "\(cell): context \(length)")
            }
            let stream = try nats(text[0...(k + 1)]) - (try nats(text[0...k]))
            XCTAssertEqual(try XCTUnwrap(curve["unlimited_bits"] as? Double), stream / log(2), accuracy: 1e-6, cell)
        }
    }

    /// The gradient reach is a mean over positions, whatever batch they share: measured at positions 8 and 9 of an
    /// 11-character text together, it is the mean of position 8 alone (a 10-character text) and position 9 alone
    /// (the 11 characters with --max-distance 9), at every distance both measure.
    func testGradientReachIsAMeanOverPositions() throws {
        let c = try checkpoints()
        let folder = try ToolRunner.temporaryFolder(self)
        let ten = try write("o mar azul", "ten.txt", in: folder)
        let eleven = try write("o mar azul ", "eleven.txt", in: folder)
        for cell in ["gru", "lstm"] {
            func measure(_ text: String, _ k: Int) throws -> [String: Any] {
                let r = try memory([c.path(cell)], ["--text", text, "--max-distance", "\(k)", "--positions", "16", "--json"])
                return reach(try XCTUnwrap(try measurements(r.stdout).first))
            }
            let first = try measure(ten, 8), both = try measure(eleven, 8), second = try measure(eleven, 9)
            XCTAssertEqual(first["positions"] as? Int, 1)
            XCTAssertEqual(both["positions"] as? Int, 2)
            XCTAssertEqual(second["positions"] as? Int, 1)
            func rows(_ r: [String: Any]) -> [[Double]] {
                ((r["hidden"] as? [Any] ?? []) + (r["cell"] as? [Any] ?? [])).map { numbers($0, cell) } + [numbers(r["input"], cell)]
            }
            let a = rows(first), b = rows(both), s = rows(second)
            XCTAssertEqual(b.count, cell == "lstm" ? 5 : 2, cell)
            XCTAssertEqual(a.count, b.count)
            XCTAssertEqual(s.count, b.count)
            for (row, (x, (y, z))) in zip(a, zip(b, s)).enumerated() {
                XCTAssertEqual(x.count, 9)
                XCTAssertEqual(y.count, 9)
                XCTAssertEqual(z.count, 10)
                for d in 0..<min(9, x.count, y.count, z.count) {
                    XCTAssertEqual(y[d], (x[d] + z[d]) / 2, accuracy: 1e-6 * abs(y[d]) + 1e-12, "\(cell) row \(row) k=\(d)")
                }
            }
        }
    }

    // MARK: 3. determinism

    func testOneThreadAndTwoGiveTheSameFigures() throws {
        let c = try checkpoints()
        func run(_ threads: Int) throws -> String {
            let r = try memory(c.paths, small + ["--threads", "\(threads)", "--json"])
            let seconds = try NSRegularExpression(pattern: "\"seconds\":[-+0-9.eE]+")
            XCTAssertEqual(seconds.numberOfMatches(in: r.stdout, range: NSRange(r.stdout.startIndex..., in: r.stdout)), 4)
            return seconds.stringByReplacingMatches(in: r.stdout, range: NSRange(r.stdout.startIndex..., in: r.stdout),
                                                    withTemplate: "\"seconds\":0")
        }
        let one = try run(1), two = try run(2)
        XCTAssertFalse(one.isEmpty)
        XCTAssertEqual(one, two)
    }

    // MARK: 4. the output folder

    func testOutputFolderRefusesToOverwriteWithoutForce() throws {
        let c = try checkpoints()
        let folder = try ToolRunner.temporaryFolder(self)
        let out = folder.appendingPathComponent("m").path   // does not exist yet
        let first = try memory([c.path("gru"), c.path("lstm")], small + ["--out", out, "--json"])
        let printed = try measurements(first.stdout)
        XCTAssertEqual(printed.count, 2)
        guard printed.count == 2 else { return }
        for name in ["memory.json", "context.csv", "reach.csv", "memory.html"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(out)/\(name)"), name)
        }
        // memory.json holds what --json printed.
        let saved = try measurements(try String(contentsOfFile: "\(out)/memory.json", encoding: .utf8))
        XCTAssertEqual(saved as NSArray, printed as NSArray)

        // The CSVs: one row per model, subset and length (and the whole stream); per model, state and distance.
        let context = try String(contentsOfFile: "\(out)/context.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(context.first, "model,checkpoint,subset,positions,k,bits_per_char")
        XCTAssertEqual(context.count - 1, printed.reduce(0) { $0 + subsets($1).count * 6 })
        let firstBits = numbers(curve(subsets(printed[0])[0])["bits"], "bits")
        XCTAssertEqual(context.dropFirst().first.map(String.init),
                       "gru,\(c.path("gru")),all positions,64,1,\(firstBits.first ?? .nan)")
        let reachRows = try String(contentsOfFile: "\(out)/reach.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(reachRows.first, "model,checkpoint,state,layer,k,mean_grad_norm")
        XCTAssertEqual(reachRows.count - 1, (1 + 1) * 17 + (2 + 2 + 1) * 17, "gru: h, x; lstm: h ×2, c ×2, x")

        let html = try String(contentsOfFile: "\(out)/memory.html", encoding: .utf8)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"), String(html.prefix(40)))
        XCTAssertTrue(html.hasSuffix("</html>\n"), String(html.suffix(40)))
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, html.components(separatedBy: "</svg>").count - 1)
        // One context panel per subset of positions, one reach panel per layer (2), and the input's.
        let subsetNames = Set(printed.flatMap { subsets($0).compactMap { $0["name"] as? String } })
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, subsetNames.count + 2 + 1)
        XCTAssertTrue(html.contains("<table>") && html.contains("<td>gru</td>") && html.contains("<td>lstm</td>"))

        // A second measurement into the same folder is refused before anything is measured, and nothing changes.
        let names = ["memory.json", "context.csv", "reach.csv", "memory.html"]
        let before = try names.map { try Data(contentsOf: URL(fileURLWithPath: "\(out)/\($0)")) }
        let again = try ToolRunner.run(["memory", "--checkpoint", c.path("rnn")] + small + ["--out", out])
        XCTAssertEqual(again.status, 1, again.stderr)
        XCTAssertTrue(again.stderr.contains("--force") && again.stderr.contains(out), again.stderr)
        XCTAssertEqual(again.stdout, "", "refused before measuring")
        XCTAssertFalse(again.stderr.contains("stage"), "refused before measuring: \(again.stderr)")
        assertNoTrap(again)
        XCTAssertEqual(try names.map { try Data(contentsOf: URL(fileURLWithPath: "\(out)/\($0)")) }, before)

        // With --force it replaces them.
        let forced = try memory([c.path("rnn")], small + ["--out", out, "--force"])
        XCTAssertTrue(forced.stdout.contains("report: \(out)/memory.html"), forced.stdout)
        let replaced = try measurements(try String(contentsOfFile: "\(out)/memory.json", encoding: .utf8))
        XCTAssertEqual(replaced.map { $0["label"] as? String }, ["tanh:xavier"])

        // One earlier file is enough to refuse, and it is named.
        let partial = folder.appendingPathComponent("partial")
        try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
        try Data("kept".utf8).write(to: partial.appendingPathComponent("reach.csv"))
        let refused = try ToolRunner.run(["memory", "--checkpoint", c.path("gru")] + small + ["--out", partial.path])
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("reach.csv") && refused.stderr.contains("--force"), refused.stderr)
        XCTAssertEqual(try Data(contentsOf: partial.appendingPathComponent("reach.csv")), Data("kept".utf8))
        XCTAssertFalse(FileManager.default.fileExists(atPath: partial.appendingPathComponent("memory.json").path))
    }

    // MARK: 5. bad input

    @discardableResult
    private func expect(_ arguments: [String], status: Int32, messages: [String],
                        file: StaticString = #filePath, line: UInt = #line) throws -> ToolRunner.Result {
        let r = try ToolRunner.run(["memory"] + arguments)
        XCTAssertEqual(r.status, status, "\(arguments): \(r.stderr)", file: file, line: line)
        for message in messages {
            XCTAssertTrue(r.stderr.contains(message), "\(arguments): expected «\(message)» in «\(r.stderr)»",
                          file: file, line: line)
        }
        assertNoTrap(r, file: file, line: line)
        return r
    }

    func testBadInput() throws {
        let c = try checkpoints()
        let gru = c.path("gru")
        let folder = try ToolRunner.temporaryFolder(self)
        // 11 characters: enough for --max-distance 9 (which needs 11), too few for 10 or 16.
        let short = try write("Olá mundo.\n", "short.txt", in: folder)
        try expect(["--checkpoint", gru, "--text", short, "--max-distance", "16", "--positions", "64"], status: 1,
                   messages: [short, "--max-distance 16", "needs at least 18"])
        try expect(["--checkpoint", gru, "--text", short, "--max-distance", "10", "--positions", "16"], status: 1,
                   messages: [short, "--max-distance 10"])
        let edge = try ToolRunner.run(["memory", "--checkpoint", gru, "--text", short, "--max-distance", "9",
                                       "--positions", "16", "--json"])
        XCTAssertEqual(edge.status, 0, edge.stderr)
        XCTAssertEqual(try measurements(edge.stdout).first.map { curve(subsets($0)[0])["positions"] as? Int }, 1)
        let empty = try write("", "empty.txt", in: folder)
        try expect(["--checkpoint", gru, "--text", empty, "--max-distance", "2", "--positions", "16"], status: 1,
                   messages: [empty, "--max-distance 2"])

        try expect(["--checkpoint", "Corpus/poemas.txt", "--text", "Corpus/poemas.txt", "--max-distance", "16"],
                   status: 1, messages: ["Corpus/poemas.txt", "not a valid safetensors file"])
        try expect(["--checkpoint", "\(folder.path)/none.safetensors", "--text", "Corpus/poemas.txt"], status: 1,
                   messages: ["\(folder.path)/none.safetensors"])
        try expect(["--checkpoint", gru, "--text", "\(folder.path)/missing.txt", "--max-distance", "16"], status: 1,
                   messages: ["\(folder.path)/missing.txt"])
        try expect(["--checkpoint", gru, "--max-distance", "1"], status: 2, messages: ["--max-distance", "(got 1)"])
        try expect(["--checkpoint", gru, "--max-distance", "5000"], status: 2, messages: ["--max-distance", "(got 5000)"])
        try expect(["--checkpoint", gru, "--max-distance", "many"], status: 2, messages: ["--max-distance"])
        try expect(["--checkpoint", gru, "--positions", "3"], status: 2, messages: ["--positions", "(got 3)"])
        try expect(["--checkpoint", gru, "--positions", "100001"], status: 2, messages: ["--positions"])
        try expect(["--checkpoint", gru, "--threads", "3"], status: 2, messages: ["--threads", "(got 3)"])
        try expect(["--text", "Corpus/poemas.txt"], status: 2, messages: ["--checkpoint"])
        try expect(["--checkpoint", gru, "--encoding", "ebcdic"], status: 2, messages: ["--encoding"])

        // A bad checkpoint after a good one: every checkpoint is read before any is measured, so the run fails
        // at once and writes nothing.
        let out = folder.appendingPathComponent("out").path
        let bad = try expect(["--checkpoint", gru, "--checkpoint", short, "--out", out] + small, status: 1, messages: [short])
        XCTAssertFalse(bad.stderr.contains("stage"), "measured before failing: \(bad.stderr)")
        XCTAssertEqual(bad.stdout, "")
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(out)/memory.json"))
    }

    /// A checkpoint whose vocabulary lacks most of the text's characters still measures it, reading them as <unk>,
    /// and says how many (as many as eval counts).
    func testTextOutsideTheVocabularyIsReadAsUnknownWithAWarning() throws {
        let folder = try ToolRunner.temporaryFolder(self)
        let corpus = try write(String(repeating: "a casa da mae e a sala. ", count: 400), "few.txt", in: folder)
        let out = folder.appendingPathComponent("few").path
        let train = try ToolRunner.run(["train", "--corpus", corpus, "--steps", "10", "--hidden", "8", "--batch", "4",
                                        "--seq-len", "16", "--eval-every", "10", "--sample-every", "0", "--out", out])
        XCTAssertEqual(train.status, 0, train.stderr)
        let checkpoint = out + "/last.safetensors"
        let r = try memory([checkpoint], small + ["--json"])
        let warning = r.stderr.split(separator: "\n").first { $0.hasPrefix("warning:") }.map(String.init) ?? ""
        XCTAssertTrue(warning.contains("Corpus/poemas.txt") && warning.contains(checkpoint)
                      && warning.contains("not in the vocabulary") && warning.contains("<unk>"), r.stderr)
        let e = try eval(checkpoint, "Corpus/poemas.txt")
        let evalCount = e.stderr.split(separator: " ").compactMap { Int($0) }.first
        let memoryCount = warning.split(separator: " ").compactMap { Int($0) }.first
        XCTAssertNotNil(evalCount, e.stderr)
        XCTAssertEqual(memoryCount, evalCount, "\(warning) / \(e.stderr)")
        let m = try XCTUnwrap(try measurements(r.stdout).first)
        XCTAssertEqual(try XCTUnwrap(m["bits_per_character"] as? Double), e.bits, accuracy: 1e-6 * e.bits)
    }

    // MARK: 6. side by side

    func testSideBySideTableHasOneRowPerModel() throws {
        let c = try checkpoints()
        // The same GRU twice too: its two measurements must still get labels of their own.
        let paths = c.paths + [c.path("gru")]
        let r = try memory(paths, ["--text", "Corpus/poemas.txt", "--max-distance", "20", "--positions", "32"])
        let lines = r.stdout.components(separatedBy: "\n")
        let start = try XCTUnwrap(lines.firstIndex(of: "side by side"), r.stdout)
        let table = lines[(start + 1)...].prefix { !$0.isEmpty }
        XCTAssertEqual(table.count, 1 + paths.count, table.joined(separator: "\n"))
        let header = table.first.map { $0.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty } } ?? []
        XCTAssertEqual(header.first, "model")
        XCTAssertEqual(Set(header).count, header.count, "a column twice: \(header)")
        for column in ["bits", "bits k=16", "context 1%", "context 0.1%", "reach k=16", "reach k=20"] {
            XCTAssertTrue(header.contains(column), "\(column) in \(header)")
        }
        let rows = Array(table.dropFirst())
        for label in ["tanh:xavier", "lstm", "indrnn"] {
            XCTAssertEqual(rows.filter { $0.hasPrefix(label + " ") }.count, 1, "\(label): \(rows)")
        }
        let gruRows = rows.filter { $0.hasPrefix("gru") }
        XCTAssertEqual(gruRows.count, 2, "\(rows)")
        let gruLabels = gruRows.map { $0.components(separatedBy: "  ")[0].trimmingCharacters(in: .whitespaces) }
        XCTAssertEqual(Set(gruLabels).count, 2, "\(gruLabels)")
        XCTAssertEqual(r.stdout.components(separatedBy: "gradient reach:").count - 1, paths.count, "one block per model")

        // One model: its tables, no side-by-side table.
        let one = try memory([c.path("gru")], small)
        XCTAssertFalse(one.stdout.contains("side by side"), one.stdout)
        XCTAssertTrue(one.stdout.contains("gradient reach:"), one.stdout)
    }

    // MARK: the Portuguese long-distance sites

    /// A crafted text whose marks, dialogue dashes and gender endings are counted by hand: each subset has exactly
    /// its sites, with the median distance back to the opener.
    func testLongDistanceSitesOfACraftedText() throws {
        let c = try checkpoints()
        let folder = try ToolRunner.temporaryFolder(self)
        let text = [
            "o mar e a serra",                                          // 16 characters before any site
            "a casa (do mar) e a «vela»",                                // ( → ) 7 back, « → » 5 back
            "ele disse \"vem ja agora\" e foi",                          // " → " 13 back
            "o barco (que veio de longe pelo rio ate a serra) ficou",   // ( → ) 39 back
            "— vem ca — disse ele — agora",                              // dashes 9 and 12 after the previous
            "a porta fechada e os livros guardados",                     // two gender endings
            "o mar e a serra",
        ].joined(separator: "\n") + "\n"
        let path = try write(text, "sites.txt", in: folder)
        // The LSTM learnt the whole bundled corpus, so every mark is in its vocabulary.
        let r = try memory([c.path("lstm")], ["--text", path, "--max-distance", "8", "--positions", "64", "--json"])
        XCTAssertFalse(r.stderr.contains("warning"), r.stderr)
        let m = try XCTUnwrap(try measurements(r.stdout).first)
        XCTAssertEqual(m["characters"] as? Int, text.count - 1)
        let found = subsets(m).map { s in
            (s["name"] as? String ?? "?", curve(s)["positions"] as? Int ?? -1, s["median_distance"] as? Int)
        }
        let expected: [(String, Int, Int?)] = [
            ("all positions", 64, nil),
            ("closing mark, opener < 32 back", 3, 7),
            ("closing mark, opener ≥ 32 back", 1, 39),
            ("dialogue dash", 2, 12),
            ("gender ending", 2, nil),
        ]
        XCTAssertEqual(found.map(\.0), expected.map(\.0))
        for (f, e) in zip(found, expected) {
            XCTAssertEqual(f.1, e.1, "\(e.0): positions")
            XCTAssertEqual(f.2, e.2, "\(e.0): median distance")
        }
        // The far marks appear in the side-by-side columns of the human output.
        let human = try memory([c.path("lstm"), c.path("gru")], ["--text", path, "--max-distance", "16", "--positions", "64"])
        XCTAssertTrue(human.stdout.contains("closing mark, opener ≥ 32 back (median 39)"), human.stdout)
    }
}
