import XCTest
@testable import SeqModel
@testable import SeqTraining

/// The model ↔ safetensors mapping: PyTorch names and layouts, two biases summed on load, and every mismatch
/// named.
final class CheckpointTests: XCTestCase {
    private let config = ModelConfig(input: .tokens(vocabulary: 5), hidden: 3, layers: 2, activation: .tanh,
                                     initialization: .pytorchDefault, head: .classification(classes: 5))

    private func contents(_ model: RNNModel) -> SafeTensors.Contents {
        SafeTensors.Contents(metadata: ["format": Checkpoint.format], tensors: Checkpoint.tensors(of: model))
    }

    func testPyTorchNamesShapesAndRoundTrip() throws {
        let model = RNNModel(config: config, seed: 1)
        let c = contents(model)
        XCTAssertEqual(c["rnn.weight_ih_l0"]?.shape, [3, 5])
        XCTAssertEqual(c["rnn.weight_hh_l1"]?.shape, [3, 3])
        XCTAssertEqual(c["rnn.bias_hh_l0"]?.values, [0, 0, 0])
        XCTAssertEqual(c["decoder.weight"]?.shape, [5, 3])
        // PyTorch layout: weight_ih_l0[j][v] is the input weight from token v to unit j; stored here at [v][j].
        XCTAssertEqual(c["rnn.weight_ih_l0"]!.values[2 * 5 + 4], model.parameters[0].value[4 * 3 + 2])
        let copy = RNNModel(config: config, seed: 99)
        try Checkpoint.load(c, into: copy, path: "x")
        for (a, b) in zip(model.parameters, copy.parameters) { XCTAssertEqual(a.value.array, b.value.array, a.name) }
    }

    /// The direct connections' table travels as `direct.weight` beside the PyTorch tensors, and Adagrad's sums
    /// with the resume state; a file without the table does not load into a model that has one.
    func testDirectTableRoundTrips() throws {
        var withDirect = config
        withDirect.directOrders = 3
        withDirect.directBits = 16
        let model = RNNModel(config: withDirect, seed: 1)
        for i in stride(from: 0, to: 1 << 16, by: 97) { model.direct!.weights[i] = Float(i); model.direct!.squaredGradientSum[i] = 1 }
        let optimizer = Optimizer(settings: OptimizerSettings(kind: .adam), parameters: model.parameters)
        let ws = Workspace(config: withDirect, batch: 2, steps: 3)
        let c = SafeTensors.Contents(metadata: ["format": Checkpoint.format], tensors: Checkpoint.tensors(of: model)
            + Checkpoint.resumeTensors(optimizer: optimizer, model: model, carried: ws))
        XCTAssertEqual(c["direct.weight"]?.shape, [1 << 16])
        XCTAssertEqual(c["optimizer.direct.weight.sum"]?.shape, [1 << 16])
        let copy = RNNModel(config: withDirect, seed: 99)
        try Checkpoint.load(c, into: copy, path: "x")
        try Checkpoint.loadResumeState(c, optimizer: Optimizer(settings: OptimizerSettings(kind: .adam), parameters: copy.parameters),
                                       model: copy, carried: Workspace(config: withDirect, batch: 2, steps: 3), path: "x")
        XCTAssertEqual(copy.direct!.weights.array, model.direct!.weights.array)
        XCTAssertEqual(copy.direct!.squaredGradientSum.array, model.direct!.squaredGradientSum.array)
        XCTAssertThrowsError(try Checkpoint.load(contents(RNNModel(config: config, seed: 1)), into: copy, path: "x")) {
            XCTAssertEqual(($0 as? Checkpoint.LoadError)?.reason, "tensor \"direct.weight\" is missing")
        }
    }

    func testTwoPyTorchBiasesAreSummed() throws {
        let model = RNNModel(config: config, seed: 1)
        var c = contents(model)
        let i = c.tensors.firstIndex { $0.name == "rnn.bias_hh_l1" }!
        c.tensors[i].values = [1, 2, 3]
        let copy = RNNModel(config: config, seed: 2)
        try Checkpoint.load(c, into: copy, path: "x")
        let b = model.parameters[5].value.array
        XCTAssertEqual(copy.parameters[5].value.array, [b[0] + 1, b[1] + 2, b[2] + 3])
    }

    func testMissingTensorAndWrongShapeAreNamed() {
        let model = RNNModel(config: config, seed: 1)
        var missing = contents(model)
        missing.tensors.removeAll { $0.name == "rnn.weight_hh_l1" }
        XCTAssertThrowsError(try Checkpoint.load(missing, into: model, path: "m.safetensors")) {
            XCTAssertEqual("\($0)", "m.safetensors: tensor \"rnn.weight_hh_l1\" is missing")
        }
        let wider = RNNModel(config: ModelConfig(input: .tokens(vocabulary: 5), hidden: 4, layers: 2, activation: .tanh,
                                                 initialization: .pytorchDefault, head: .classification(classes: 5)), seed: 1)
        XCTAssertThrowsError(try Checkpoint.load(contents(model), into: wider, path: "w")) {
            XCTAssertTrue("\($0)".contains("has shape [3, 5], the configuration needs [4, 5]"), "\($0)")
        }
    }

    /// What a writer killed before its rename leaves (`path.tmp-PID`) is deleted by the next write to that path
    /// once the process is gone; a live process's temporary file, and other files, stay.
    func testAWriteRemovesTemporaryFilesOfDeadWriters() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/last.safetensors"
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let abandoned = path + ".tmp-\(dead.processIdentifier)"
        let live = path + ".tmp-1"                      // init: always running
        let unrelated = dir + "/best.safetensors.tmp-\(dead.processIdentifier)"
        for file in [abandoned, live, unrelated] {
            XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data([1, 2, 3])))
        }
        try AtomicFile.write([7], to: path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: abandoned))
        XCTAssertTrue(FileManager.default.fileExists(atPath: live))
        XCTAssertTrue(FileManager.default.fileExists(atPath: unrelated))
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data([7]))
    }

    func testAForeignSafetensorsFileIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("foreign-\(UUID()).safetensors").path
        try AtomicFile.write(SafeTensors.encode(SafeTensors.Contents(metadata: ["format": "pt"], tensors: [])), to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertThrowsError(try Checkpoint.read(path)) { XCTAssertTrue("\($0)".contains("not an nlp-vanish checkpoint")) }
    }
}

final class CorpusSplitTests: XCTestCase {
    func testEveryFileContributesItsTailToValidation() {
        let files: [[Int32]] = [Array(0..<100), Array(100..<150), Array(200..<210)]
        let split = CorpusSplit(files: files, validationFraction: 0.1)
        XCTAssertEqual(split.validation, Array(90..<100) + Array(145..<150) + [209])
        XCTAssertEqual(split.train.count + split.validation.count, 160)
        XCTAssertEqual(split.train.last, 208)
    }

    func testTokenStreamCarriesContiguousText() throws {
        let config = ModelConfig(input: .tokens(vocabulary: 100), hidden: 2, layers: 1, activation: .tanh,
                                 initialization: .pytorchDefault, head: .classification(classes: 100))
        let ws = Workspace(config: config, batch: 2, steps: 5)
        var stream = try XCTUnwrap(TokenStream(tokens: (0..<41).map(Int32.init), batch: 2, steps: 5))
        XCTAssertEqual(stream.windowsPerEpoch, 4)   // 20 tokens per stream
        XCTAssertTrue(stream.fill(ws))             // a new pass starts: reset the state
        XCTAssertEqual((0..<5).map { ws.tokens[$0 * 2 + 1] }, [20, 21, 22, 23, 24])   // stream 1 starts at 20
        XCTAssertEqual((0..<5).map { ws.targets[$0 * 2] }, [1, 2, 3, 4, 5])
        XCTAssertFalse(stream.fill(ws))            // the next window continues the same text
        XCTAssertEqual(ws.tokens[0], 5)
        XCTAssertNil(TokenStream(tokens: [1, 2, 3], batch: 2, steps: 5))
    }
}
