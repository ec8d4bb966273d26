import Foundation
import XCTest

/// A checkpoint of each cell is a PyTorch state dict: `nn.LSTM` / `nn.GRU` / `nn.RNN` under `rnn.` and `nn.Linear`
/// under `decoder.`, which `load_state_dict(strict=True)` takes once the resume tensors are dropped, and with which
/// PyTorch computes the loss `nlp-vanish eval` prints.
///
/// The fixtures are in Tests/Fixtures/pytorch: tiny checkpoints (H = 8, L = 2) trained on corpus.txt, the texts
/// scored, and expected.json, the losses PyTorch computed once in float64 (make_expected.py, which also says how
/// to regenerate everything). No PyTorch is needed here: these tests compare the built tool's `eval` with those
/// numbers, and read the checkpoints' safetensors headers with a reader of their own.
final class PyTorchInterchangeTests: XCTestCase {
    static let fixtures = ToolRunner.projectRoot.appendingPathComponent("Tests/Fixtures/pytorch")
    /// Float32 SIMD against float64 PyTorch: a few ulps of Float per step, far below any real discrepancy (a wrong
    /// gate order, a missing bias or a state not carried moves the loss by 1e-4 or more on these fixtures).
    static let tolerance = 1e-5

    func testLSTMCheckpointLoadsIntoNNLSTMAndEvalMatchesPyTorch() throws {
        try checkCell("lstm", module: "nn.LSTM", gates: 4, text: "eval.txt")
    }

    func testGRUCheckpointLoadsIntoNNGRUAndEvalMatchesPyTorch() throws {
        try checkCell("gru", module: "nn.GRU", gates: 3, text: "eval.txt")
    }

    func testElmanCheckpointLoadsIntoNNRNNAndEvalMatchesPyTorch() throws {
        try checkCell("rnn", module: "nn.RNN", gates: 1, text: "eval.txt")
    }

    /// `train`'s default adds direct connections: `direct.weight` beside the state dict, whose logits
    /// make_expected.py computes from the hash as docs/model.md states it, not from this project's code.
    func testDirectConnectionsCheckpointMatchesPyTorchPlusTheDocumentedHash() throws {
        try checkCell("gru-direct", cell: "gru", module: "nn.GRU", gates: 3, text: "eval.txt")
    }

    /// eval_long.txt is longer than eval's 256-step window, and its last window is shorter (409 = 256 + 153 scored
    /// steps): eval must carry the whole state into it (h, and the LSTM's c) to give PyTorch's one-call loss.
    func testEvalAcrossWindowsMatchesPyTorchForEveryCell() throws {
        for cell in ["lstm", "gru", "rnn", "gru-direct"] {
            try checkLoss(cell, text: "eval_long.txt")
        }
    }

    // MARK: - Checks

    private func checkCell(_ fixture: String, cell: String? = nil, module: String, gates: Int, text: String,
                           file: StaticString = #filePath, line: UInt = #line) throws {
        try checkStateDict(fixture, cell: cell ?? fixture, module: module, gates: gates, file: file, line: line)
        try checkLoss(fixture, text: text, file: file, line: line)
    }

    /// The names and shapes PyTorch's module has, exactly (strict=True: none missing, none unexpected), in F32;
    /// everything else is resume state or the direct connections' table; the metadata names the cell and the module.
    private func checkStateDict(_ fixture: String, cell: String, module: String, gates: Int,
                                file: StaticString, line: UInt) throws {
        let expected = try Self.expected(fixture)
        let checkpoint = try SafeTensorsHeader(path: Self.fixtures.appendingPathComponent(expected.checkpoint).path)
        let m = checkpoint.metadata
        XCTAssertEqual(m["cell"], cell, file: file, line: line)
        XCTAssertEqual(m["format"], "nlp-vanish/1", file: file, line: line)
        let vocab = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try XCTUnwrap(m["vocab"]).utf8)) as? [String],
                                  "metadata \"vocab\" is a JSON array of strings", file: file, line: line)
        XCTAssertEqual(vocab.first, "<unk>", file: file, line: line)
        let (v, h) = (vocab.count, try XCTUnwrap(Int(m["hidden"] ?? ""), file: file, line: line))
        let layers = try XCTUnwrap(Int(m["layers"] ?? ""), file: file, line: line)
        XCTAssertEqual(v, expected.vocabulary, file: file, line: line)
        XCTAssertEqual([h, layers], [8, 2], "the fixture's size", file: file, line: line)
        let prefix = module + "(input_size=\(v), hidden_size=\(h), num_layers=\(layers)"
        XCTAssertTrue((m["pytorch_module"] ?? "").hasPrefix(prefix), "\(m["pytorch_module"] ?? "nil") is not \(prefix)…",
                      file: file, line: line)
        XCTAssertTrue((m["pytorch_module"] ?? "").contains("nn.Linear(\(h), \(v))"), file: file, line: line)
        if cell == "rnn" {
            XCTAssertEqual(m["activation"], "tanh", file: file, line: line)
            XCTAssertTrue((m["pytorch_module"] ?? "").contains("nonlinearity='tanh'"), file: file, line: line)
        }

        var stateDict = [String: [Int]]()
        for l in 0..<layers {
            stateDict["rnn.weight_ih_l\(l)"] = [gates * h, l == 0 ? v : h]
            stateDict["rnn.weight_hh_l\(l)"] = [gates * h, h]
            stateDict["rnn.bias_ih_l\(l)"] = [gates * h]
            stateDict["rnn.bias_hh_l\(l)"] = [gates * h]
        }
        stateDict["decoder.weight"] = [v, h]
        stateDict["decoder.bias"] = [v]
        let moduleTensors = checkpoint.tensors.filter { $0.key.hasPrefix("rnn.") || $0.key.hasPrefix("decoder.") }
        XCTAssertEqual(moduleTensors.mapValues(\.shape), stateDict, "the state dict of \(prefix)…)", file: file, line: line)
        for (name, tensor) in moduleTensors {
            XCTAssertEqual(tensor.dtype, "F32", name, file: file, line: line)
        }
        var rest = checkpoint.tensors.keys.filter { moduleTensors[$0] == nil }
        if let orders = m["direct_orders"], orders != "0" {
            let bits = try XCTUnwrap(Int(m["direct_bits"] ?? ""), file: file, line: line)
            XCTAssertEqual(checkpoint.tensors["direct.weight"]?.shape, [1 << bits], file: file, line: line)
            XCTAssertTrue((m["pytorch_module"] ?? "").contains("direct.weight"), file: file, line: line)
            rest.removeAll { $0 == "direct.weight" }
        }
        for name in rest {
            XCTAssertTrue(name.hasPrefix("optimizer.") || name.hasPrefix("state."),
                          "\(name): neither the module's nor resume state", file: file, line: line)
        }
        let stateNames = Set(rest.filter { $0.hasPrefix("state.") })
        var carried = Set((0..<layers).map { "state.h_l\($0)" })
        if cell == "lstm" { carried.formUnion((0..<layers).map { "state.c_l\($0)" }) }
        XCTAssertEqual(stateNames, carried, file: file, line: line)
    }

    /// `eval --json` (and its plain line) against PyTorch's loss on the same checkpoint and text.
    private func checkLoss(_ cell: String, text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try Self.expected(cell)
        let want = try XCTUnwrap(expected.texts[text], "expected.json has no \(cell) loss on \(text)", file: file, line: line)
        let checkpoint = Self.fixtures.appendingPathComponent(expected.checkpoint).path
        let textPath = Self.fixtures.appendingPathComponent(text).path
        let r = try ToolRunner.run(["eval", "--checkpoint", checkpoint, "--text", textPath, "--json"])
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any],
                                 r.stdout, file: file, line: line)
        let chars = try XCTUnwrap(json["chars"] as? Int, file: file, line: line)
        let nats = try XCTUnwrap(json["loss_nats"] as? Double, file: file, line: line)
        let bits = try XCTUnwrap(json["bits_per_char"] as? Double, file: file, line: line)
        XCTAssertEqual(chars, want.chars, "\(cell) on \(text): characters scored", file: file, line: line)
        XCTAssertEqual(nats, want.lossNats, accuracy: Self.tolerance * want.lossNats,
                       "\(cell) on \(text): eval's loss in nats against PyTorch's (relative error "
                       + "\(abs(nats - want.lossNats) / want.lossNats))", file: file, line: line)
        XCTAssertEqual(bits, want.bitsPerChar, accuracy: Self.tolerance * want.bitsPerChar,
                       "\(cell) on \(text): bits per character", file: file, line: line)
        if want.unknownChars > 0 {
            XCTAssertTrue(r.stderr.contains("\(want.unknownChars) characters are not in the checkpoint's vocabulary"),
                          r.stderr, file: file, line: line)
        }

        let plain = try ToolRunner.run(["eval", "--checkpoint", checkpoint, "--text", textPath])
        XCTAssertEqual(plain.status, 0, plain.stderr, file: file, line: line)
        XCTAssertTrue(plain.stdout.hasPrefix("\(want.chars) characters scored: "), plain.stdout, file: file, line: line)
        let printed = plain.stdout.split(separator: " ").compactMap { Double($0) }
        XCTAssertEqual(printed.count, 3, plain.stdout, file: file, line: line)   // count, nats, bits (4 decimals)
        if printed.count == 3 {
            XCTAssertEqual(printed[1], want.lossNats, accuracy: 5e-5 + Self.tolerance * want.lossNats,
                           "\(cell) on \(text): the nats eval prints", file: file, line: line)
            XCTAssertEqual(printed[2], want.bitsPerChar, accuracy: 5e-5 + Self.tolerance * want.bitsPerChar,
                           "\(cell) on \(text): the bits per character eval prints", file: file, line: line)
        }
    }

    // MARK: - Fixtures

    struct Expected: Decodable {
        struct Loss: Decodable {
            var chars: Int
            var unknownChars: Int
            var lossNats: Double
            var bitsPerChar: Double
        }
        var checkpoint: String
        var vocabulary: Int
        var texts: [String: Loss]
    }

    private struct ExpectedFile: Decodable {
        var torchVersion: String
        var cells: [String: Expected]
    }

    static func expected(_ cell: String) throws -> Expected {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("expected.json"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let file = try decoder.decode(ExpectedFile.self, from: data)
        return try XCTUnwrap(file.cells[cell], "expected.json has no cell \(cell)")
    }
}

/// The header of a safetensors file, read without the project's own reader: an 8-byte little-endian length, then
/// that many bytes of JSON — `{"__metadata__": {string: string}, name: {"dtype", "shape", "data_offsets"}, …}` —
/// then the tensors' bytes, each tensor's [begin, end) offsets relative to the end of the header.
struct SafeTensorsHeader {
    struct TensorInfo: Equatable {
        var dtype: String
        var shape: [Int]
        var offsets: [Int]
    }

    struct FormatError: Error, CustomStringConvertible {
        var description: String
    }

    var metadata: [String: String] = [:]
    var tensors: [String: TensorInfo] = [:]

    init(path: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        guard bytes.count >= 8 else { throw FormatError(description: "\(path): shorter than 8 bytes") }
        let length = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        guard length > 0, 8 + length <= bytes.count else {
            throw FormatError(description: "\(path): header length \(length) for a file of \(bytes.count) bytes")
        }
        guard let header = try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as? [String: Any] else {
            throw FormatError(description: "\(path): the header is not a JSON object")
        }
        let dataSize = bytes.count - 8 - length
        for (name, value) in header {
            if name == "__metadata__" {
                guard let m = value as? [String: String] else {
                    throw FormatError(description: "\(path): __metadata__ is not an object of strings")
                }
                metadata = m
                continue
            }
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int],
                  offsets.count == 2, offsets[0] <= offsets[1], offsets[1] <= dataSize else {
                throw FormatError(description: "\(path): tensor \(name) has no valid dtype/shape/data_offsets")
            }
            let width = ["F32": 4, "F64": 8, "F16": 2, "BF16": 2][dtype] ?? 0
            guard offsets[1] - offsets[0] == width * shape.reduce(1, *) else {
                throw FormatError(description: "\(path): tensor \(name): \(offsets[1] - offsets[0]) bytes for \(dtype) \(shape)")
            }
            tensors[name] = TensorInfo(dtype: dtype, shape: shape, offsets: offsets)
        }
    }
}
