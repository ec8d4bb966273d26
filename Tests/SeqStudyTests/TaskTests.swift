import XCTest
@testable import SeqKernels
@testable import SeqModel
@testable import SeqStudy

/// The long-dependency generators: shapes, where the dependency sits, baselines, determinism.
final class TaskTests: XCTestCase {
    /// Filler "text": ids 0…9 cycling, so any window is recognisable.
    let filler = FillerText(tokens: (0..<5000).map { Int32($0 % 10) }, vocabulary: 10)

    private func workspace(_ task: some SequenceTask, batch: Int) -> Workspace {
        Workspace(config: ModelConfig(input: task.input, hidden: 4, layers: 1, activation: .tanh,
                                      initialization: .pytorchDefault, head: task.head), batch: batch, steps: task.steps)
    }

    func testRecallPutsTheKeyFirstAndScoresOnlyTheQuery() {
        for d in [1, 5, 40] {
            let task = RecallTask(filler: filler, distance: d)
            XCTAssertEqual(task.steps, d + 2)
            XCTAssertEqual(task.chance, 0.125)
            let ws = workspace(task, batch: 64)
            var rng = Xoshiro256StarStar(seed: 1)
            task.fill(ws, rng: &rng)
            var keysSeen = Set<Int32>()
            for b in 0..<64 {
                let key = ws.tokens[b] - 10
                XCTAssert((0..<8).contains(key), "key token after the filler vocabulary")
                keysSeen.insert(key)
                for t in 1...d {
                    XCTAssertLessThan(ws.tokens[t * 64 + b], 10, "filler never contains a key or the query")
                    if t > 1 { XCTAssertEqual(ws.tokens[t * 64 + b], (ws.tokens[(t - 1) * 64 + b] + 1) % 10, "consecutive text") }
                }
                XCTAssertEqual(ws.tokens[(d + 1) * 64 + b], 18, "query token")
                for t in 0...d { XCTAssertEqual(ws.targets[t * 64 + b], -1) }
                XCTAssertEqual(ws.targets[(d + 1) * 64 + b], key)
            }
            XCTAssertGreaterThan(keysSeen.count, 4)
        }
    }

    func testSameSeedSameSequences() {
        let task = RecallTask(filler: filler, distance: 10)
        let a = workspace(task, batch: 8), b = workspace(task, batch: 8)
        var r1 = Xoshiro256StarStar(seed: 5), r2 = Xoshiro256StarStar(seed: 5)
        task.fill(a, rng: &r1)
        task.fill(b, rng: &r2)
        XCTAssertEqual(Array(UnsafeBufferPointer(start: a.tokens.data, count: a.tokens.count)),
                       Array(UnsafeBufferPointer(start: b.tokens.data, count: b.tokens.count)))
    }

    func testAddingHasOneMarkerPerHalfAndTheSumAsTarget() {
        let task = AddingTask(length: 50)
        let ws = workspace(task, batch: 2000)
        var rng = Xoshiro256StarStar(seed: 2)
        task.fill(ws, rng: &rng)
        var baselineError = 0.0
        for b in 0..<2000 {
            var markers = [Int](), sum: Float = 0
            for t in 0..<50 where ws.inputs[(t * 2000 + b) * 2 + 1] == 1 {
                markers.append(t)
                sum += ws.inputs[(t * 2000 + b) * 2]
            }
            XCTAssertEqual(markers.count, 2)
            XCTAssertLessThan(markers[0], 25)
            XCTAssertGreaterThanOrEqual(markers[1], 25)
            let last = 49 * 2000 + b
            XCTAssertEqual(ws.targetValues[last], sum)
            XCTAssertEqual(ws.scored[last], 1)
            XCTAssertEqual(ws.scored[last - 2000], 0)
            baselineError += Double((sum - 1) * (sum - 1)) / 2000
        }
        XCTAssertEqual(baselineError, task.chance, accuracy: 0.015, "predicting 1 gives MSE ≈ 1/6")
    }

    func testAgreementEndsWithTheStemAndLabelsTheNounsGenderAndNumber() {
        // A toy encoder: one id per distinct character, after the filler's ten.
        var ids = [Character: Int32]()
        let encode: (String) -> [Int32] = { text in
            text.map { ch in
                if let id = ids[ch] { return id }
                ids[ch] = Int32(10 + ids.count)
                return ids[ch]!
            }
        }
        let task = AgreementTask(filler: filler, distance: 30, encode: encode)
        let decode = Dictionary(uniqueKeysWithValues: ids.map { ($0.value, $0.key) })
        XCTAssertEqual(task.chance, 0.25)
        let ws = workspace(task, batch: 200)
        var rng = Xoshiro256StarStar(seed: 3)
        task.fill(ws, rng: &rng)
        var labels = Set<Int32>()
        for b in 0..<200 {
            let text = String((0..<task.steps).map { ws.tokens[$0 * 200 + b] }.map { decode[$0] ?? "·" })
            let label = ws.targets[(task.steps - 1) * 200 + b]
            labels.insert(label)
            let phrase = String(text.prefix(task.sourceStep)).split(separator: "·").last.map(String.init) ?? ""
            let article = phrase.split(separator: " ").first.map(String.init) ?? ""
            // The articles o / a / os / as are spelled exactly like the endings that agree with them.
            XCTAssertEqual(AgreementTask.endings[Int(label)], article, "label agrees with «\(phrase)»")
            XCTAssertTrue(AgreementLexicon.adjectiveStems.contains { text.hasSuffix(" " + $0) }, text)
            for t in 0..<(task.steps - 1) { XCTAssertEqual(ws.targets[t * 200 + b], -1) }
        }
        XCTAssertEqual(labels, [0, 1, 2, 3])
    }

    func testGendersOnlyHasTwoClasses() {
        let task = AgreementTask(filler: filler, distance: 10, gendersOnly: true) { $0.map { _ in Int32(11) } }
        XCTAssertEqual(task.chance, 0.5)
        XCTAssertEqual(task.head, .classification(classes: 2))
    }
}

final class GradientRatioTests: XCTestCase {
    /// A linear RNN with W_hh = a·I and the loss at the last step only: ∂L/∂h_t = a^{T−t} ∂L/∂h_T exactly, so
    /// the ratio from step 1 is a^{T−1}.
    func testLinearRecurrenceGivesAPowerOfItsScale() throws {
        let (T, a) = (12, Float(0.8))
        let config = ModelConfig(input: .dense(features: 2), hidden: 3, layers: 1, activation: .identity,
                                 initialization: .identity(scale: a), head: .regression(outputs: 1))
        let model = RNNModel(config: config, seed: 1)
        let ws = Workspace(config: config, batch: 4, steps: T)
        var rng = Xoshiro256StarStar(seed: 9)
        for i in 0..<ws.inputs.count { ws.inputs[i] = rng.uniform(-1, 1) }
        for b in 0..<4 { ws.scored[(T - 1) * 4 + b] = 1; ws.targetValues[(T - 1) * 4 + b] = 3 }
        model.forward(ws, gradient: true)
        let probe = GradientProbe(layers: 1, steps: T)
        model.backward(ws, probe: probe)
        let ratio = try XCTUnwrap(probe.ratio(source: 1))
        XCTAssertEqual(ratio, pow(Double(a), Double(T - 1)), accuracy: 1e-6 * ratio)
        XCTAssertEqual(probe.norm(layer: 0, stepsBack: 3) / probe.norm(layer: 0, stepsBack: 0), pow(0.8, 3), accuracy: 1e-6)
    }
}

final class StudyRunnerTests: XCTestCase {
    /// One small run records every per-layer measurement, for every layer, at initialisation and at the end.
    func testARunRecordsEveryLayer() throws {
        var settings = StudySettings()
        (settings.steps, settings.batch, settings.evalEvery, settings.testSequences, settings.probeSequences) = (20, 8, 10, 16, 8)
        let filler = FillerText(tokens: (0..<500).map { Int32($0 * 5 % 11) }, vocabulary: 11)
        let spec = RunSpec(task: .recall, variant: Variant("tanh:xavier")!, layers: 3, hidden: 6, distance: 4, seed: 1)
        let r = try XCTUnwrap(StudyRunner(settings: settings).run(spec, task: RecallTask(filler: filler, distance: 4)))
        XCTAssertEqual(r.steps, 20)
        XCTAssertEqual(r.curve.map(\.step), [10, 20])
        XCTAssertEqual(r.recurrentGradNormInit.count, 3)
        XCTAssertEqual(r.recurrentGradNormFinal?.count, 3)
        XCTAssertEqual(r.sigmaMaxFinal.count, 3)
        XCTAssertTrue((r.recurrentGradNormFinal ?? []).allSatisfy { $0 > 0 && $0.isFinite })
        XCTAssertEqual(r.profiles.filter { $0.phase == "init" }.count, 3)
        XCTAssertEqual(r.profiles.filter { $0.phase == "final" }.count, 3)
        XCTAssertEqual(r.profiles[0].norms.count, 4 + 2 + 1)   // k = 0…T with T = d + 2
        XCTAssertNotNil(r.gradRatioInit)
    }
}

final class StudyGridTests: XCTestCase {
    func testShardsPartitionTheGrid() {
        let grid = StudyGrid(task: .recall, distances: [5, 10, 20], variants: Variant.defaults, layers: [1, 2],
                             hidden: 16, seeds: 3)
        let all = grid.runs
        XCTAssertEqual(all.count, 3 * 5 * 2 * 3)
        XCTAssertEqual(Set(all.map(\.id)).count, all.count)
        for n in 1...7 {
            let shards = (1...n).map { grid.shard($0, of: n) }
            XCTAssertEqual(shards.map(\.count).reduce(0, +), all.count, "no overlap, nothing lost (n = \(n))")
            XCTAssertEqual(Set(shards.flatMap { $0.map(\.id) }), Set(all.map(\.id)))
        }
    }

    func testRunSeedsDependOnTheRunAlone() {
        let a = RunSpec(task: .recall, variant: Variant("tanh:xavier")!, layers: 1, hidden: 64, distance: 10, seed: 1)
        var b = a
        XCTAssertEqual(a.randomSeed, b.randomSeed)
        b.seed = 2
        XCTAssertNotEqual(a.randomSeed, b.randomSeed)
        XCTAssertEqual(stableHash("abc"), 0xE71F_A219_0541_574B)   // FNV-1a reference value
    }

    func testVariantsParse() {
        XCTAssertEqual(Variant("relu:identity")?.description, "relu:identity")
        XCTAssertEqual(Variant("tanh:orthogonal@0.9")?.initialization, .orthogonal(gain: 0.9))
        XCTAssertNil(Variant("relu"))
        XCTAssertNil(Variant("identity:xavier"))
        XCTAssertNil(Variant("gelu:xavier"))
        XCTAssertEqual(Variant.defaults.count, 5)
    }
}
