import ArgumentParser
import Foundation
import NGram
import Tokenizer
import SeqModel
import SeqTraining

/// One `train` invocation: corpus, model and trainer set up (fresh or from a checkpoint), then the loop with
/// progress, validation, samples, checkpoints, and a clean stop on Ctrl-C or divergence.
///
/// The data order is fixed (B contiguous streams read in order). The randomness — the initialisation, dropout
/// masks, which sequences start a window from the zero state, the printed samples — comes from --seed and the
/// step alone, so exact resume needs the weights, the optimizer state, the carried hidden state, the data
/// position and the counters — no generator state.
final class TrainingRun {
    private let options: Train
    private let corpus: LanguageModelCorpus
    private let model: RNNModel
    private let trainer: Trainer
    private var stream: TokenStream
    private let out: String
    private let totalSteps: Int
    private let tokenizerOptions: TokenizerOptions
    private let initialization: Initialization
    private var bestValidation = Double.infinity
    /// Validations in a row without a new best (for --patience).
    private var badEvaluations = 0
    /// Set once a validation has come out a tenth of a bit or more above the best, so the warning is said once.
    private var warnedOfDivergence = false
    private var lastValidationBPC: Double?
    private let log: LogFile
    /// This process's hold on `out`: one writer per folder.
    private let lock: FolderLock
    /// The count model every result stands beside: `nlp-vanish baseline`'s 7-gram on the same split.
    private let baselineOrder = 7
    private let baselineBPC: Double

    init(_ options: Train) throws {
        self.options = options
        var resumed: SafeTensors.Contents?
        var vocabulary: Vocabulary?
        var tokenizerOptions = options.text.tokenizerOptions
        if let path = options.resume {
            let contents = try Checkpoint.read(path)
            resumed = contents
            vocabulary = try Vocabulary(json: contents.metadata["vocab"] ?? "")
            tokenizerOptions = try TokenizerOptions(metadata: contents.metadata)
        }
        var textOptions = options.text
        textOptions.normalization = tokenizerOptions.normalization
        textOptions.caseFold = tokenizerOptions.caseFold
        textOptions.stripAccents = tokenizerOptions.stripAccents
        self.tokenizerOptions = tokenizerOptions
        corpus = try LanguageModelCorpus(path: options.corpus, options: textOptions, vocabulary: vocabulary,
                                         validationFraction: options.valFraction, minCount: options.minCount)
        guard let stream = TokenStream(tokens: corpus.split.train, batch: options.batch, steps: options.seqLen) else {
            throw UsageFailure("\(options.corpus): \(corpus.split.train.count) training tokens are fewer than one "
                + "window needs (--batch \(options.batch) × --seq-len \(options.seqLen) + 1); use a smaller --batch or --seq-len")
        }
        self.stream = stream
        let choice = try options.cellChoice
        initialization = choice.initialization
        let v = corpus.vocabulary.count
        var config = ModelConfig(input: .tokens(vocabulary: v), hidden: options.hidden, layers: options.layers,
                                 activation: choice.activation, initialization: initialization,
                                 head: .classification(classes: v), dropout: options.dropout, cell: choice.cell)
        config.directOrders = options.directOrders
        config.directBits = options.directBits
        model = RNNModel(config: config, seed: options.seed)
        let ws = Workspace(config: config, batch: options.batch, steps: options.seqLen)
        var optimizer = OptimizerSettings(kind: options.optimizer)
        optimizer.weightDecay = options.weightDecay
        let learningRate = options.lr ?? defaultLearningRate(options.optimizer, cell: choice.cell)
        totalSteps = options.epochs.map { $0 * stream.windowsPerEpoch } ?? options.steps
        var settings = TrainingSettings(optimizer: optimizer, learningRate: learningRate)
        if options.schedule == .cosine {
            settings.schedule = .warmupCosine(warmup: options.warmup, total: totalSteps,
                                              floor: options.minLR ?? learningRate / 20)
        }
        settings.clipping = options.clip > 0 ? .globalNorm(options.clip) : .none
        settings.splitBatch = true     // the same arithmetic for --threads 1 and 2
        settings.threads = options.threads
        settings.seed = options.seed
        settings.weightDrop = options.weightDropProbability
        settings.directLearningRate = options.directLR
        trainer = Trainer(model: model, workspace: ws, settings: settings)
        out = options.out ?? "runs/" + TrainingRun.timestamp()
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            throw UsageFailure("cannot create the output folder \(out): \(error.localizedDescription)")
        }
        lock = try FolderLock(folder: out)
        try TrainingRun.checkNothingIsLost(in: out, options: options)
        if options.resume != nil { try dropTornLastLine(of: out + "/log.jsonl") }
        log = try LogFile(path: out + "/log.jsonl", append: options.resume != nil)
        let counts = KneserNeyModel(tokens: corpus.split.train, vocabularySize: corpus.vocabulary.count,
                                    order: baselineOrder)
        baselineBPC = counts.crossEntropy(corpus.split.validation).nats / M_LN2
        if options.resume == nil {
            try log.append(LogHeader(trainTokens: corpus.split.train.count, validationTokens: corpus.split.validation.count,
                                     vocabulary: corpus.vocabulary.count, parameters: config.parameterCount,
                                     directWeights: config.directWeightCount,
                                     baselineOrder: baselineOrder, baselineValBpc: baselineBPC))
        }
        if let resumed, let path = options.resume { try restore(resumed, path: path) }
    }

    private func restore(_ c: SafeTensors.Contents, path: String) throws {
        let m = c.metadata
        func expect(_ key: String, _ value: String, absentMeans absent: String? = nil) throws {
            guard (m[key] ?? absent) == value else {
                throw UsageFailure("\(path): the checkpoint has \(key) = \(m[key] ?? "nothing"), this run asks for \(value); "
                                   + "resume with the same flags")
            }
        }
        try expect("cell", model.config.cell.rawValue, absentMeans: Cell.rnn.rawValue)
        try expect("activation", model.config.activation.rawValue)
        try expect("layers", String(options.layers))
        try expect("hidden", String(options.hidden))
        try expect("batch", String(options.batch))
        try expect("seq_len", String(options.seqLen))
        try expect("optimizer", options.optimizer.rawValue)
        try expect("direct_orders", String(options.directOrders), absentMeans: "0")   // (saved before direct connections)
        if options.directOrders > 0 { try expect("direct_bits", String(options.directBits)) }
        for (key, value) in trainingRecipe where key != "seed" {
            try expect(key, value, absentMeans: key == "weight_drop" ? "0.0" : nil)   // (saved before weight drop existed)
        }
        try Checkpoint.load(c, into: model, path: path)
        try Checkpoint.loadResumeState(c, optimizer: trainer.optimizer, model: model, carried: trainer.workspace, path: path)
        guard let step = m["step"].flatMap(Int.init), let position = m["data_position"].flatMap(Int.init),
              let clips = m["clip_events"].flatMap(Int.init), let lr = m["lr"].flatMap(Float.init) else {
            throw UsageFailure("\(path): the checkpoint lacks its resume state (step, data_position, clip_events, lr)")
        }
        bestValidation = m["best_val_loss"].flatMap(Double.init) ?? .infinity
        badEvaluations = m["bad_evaluations"].flatMap(Int.init) ?? 0
        trainer.restore(step: step, clipEvents: clips,
                        learningRate: LearningRateController(initial: trainer.settings.learningRate,
                                                             schedule: trainer.settings.schedule, current: lr,
                                                             bestLoss: bestValidation, badEvaluations: 0))
        stream.position = position
    }

    func start() throws {
        let tokensPerStep = Double(options.batch * options.seqLen)
        let direct = model.config.directOrders > 0
            ? " and \(model.config.directWeightCount) direct weights (contexts of 1…\(model.config.directOrders) characters)" : ""
        printError("training \(model.config.parameterCount) parameters\(direct) on \(corpus.split.train.count) tokens "
                   + "(\(corpus.split.validation.count) for validation, vocabulary \(corpus.vocabulary.count)); output in \(out)/")
        printError(String(format: "the count model to beat: a %d-gram (Kneser-Ney) scores %.3f bits per character "
                          + "on the same validation split", baselineOrder, baselineBPC))
        let progress = Progress(total: totalSteps, label: "step")
        var window = (start: Date(), steps: 0)
        while trainer.step < totalSteps {
            if stream.fill(trainer.workspace) { trainer.workspace.resetState() } else { trainer.workspace.carryState() }
            resetSomeSequences()
            let result: StepResult
            do {
                result = try trainer.step()
            } catch {
                printError("")
                printError("nlp-vanish: \(error)")
                printError("the last good checkpoint is \(out)/last.safetensors (if an evaluation had saved one)")
                throw ExitCode(ExitStatus.failure)
            }
            window.steps += 1
            let elapsed = Date().timeIntervalSince(window.start)
            let charsPerSecond = Double(window.steps) * tokensPerStep / max(elapsed, 1e-9)
            let step = trainer.step
            let evaluate = step % options.evalEvery == 0 || step == totalSteps
            var record = LogRecord(step: step, trainLoss: result.loss, gradNorm: result.gradientNorm,
                                   clipEvents: trainer.clipEvents, lr: result.learningRate, charsPerS: charsPerSecond)
            if evaluate {
                // The whole validation split as one sequence from a zero state, every token after the first scored
                // (as `nlp-vanish eval` scores a file).
                let (loss, scored) = evaluateStream(model, tokens: corpus.split.validation)
                if scored > 0 {
                    record.valLoss = loss
                    record.valBpc = loss / ln2
                    lastValidationBPC = record.valBpc
                    if loss < bestValidation {
                        bestValidation = loss
                        badEvaluations = 0
                        try save(to: out + "/best.safetensors")
                    } else {
                        badEvaluations += 1
                    }
                    // Overfitting lifts validation by hundredths of a bit over many evaluations; a tenth above the
                    // best is the run diverging, most often a rate too high for the number of steps.
                    let rise = (loss - bestValidation) / ln2
                    if loss.isFinite && rise >= 0.1 && !warnedOfDivergence {
                        warnedOfDivergence = true
                        progress.interject(String(format: "warning: validation at step %d is %.3f bits per character, "
                                                  + "%.3f above the best (%.3f): the run may be diverging; a smaller "
                                                  + "--lr steadies it, and best.safetensors keeps the best model",
                                                  step, loss / ln2, rise, bestValidation / ln2))
                    }
                }
                try save(to: out + "/last.safetensors")
                // Windows of --seq-len steps can train stably while the state grows without bound over the long
                // validation stream (a ReLU recurrence); it may recover, so training goes on and says so.
                if scored > 0 && !loss.isFinite {
                    progress.interject("warning: validation at step \(step) is not finite: the state grows without bound "
                                       + "over the \(scored + 1)-character validation stream"
                                       + (step < totalSteps ? "; training goes on" : ""))
                }
            }
            if evaluate || step % 50 == 0 { try log.append(record) }
            progress.update(step, text: String(format: "loss %.3f  val bpc %@  %.0f chars/s", result.loss,
                                               lastValidationBPC.map { String(format: "%.3f", $0) } ?? "–", charsPerSecond))
            if options.sampleEvery > 0, step % options.sampleEvery == 0 {
                progress.interject("sample at step \(step): " + sampleText(length: 200).replacingOccurrences(of: "\n", with: " ⏎ "))
            }
            if evaluate && options.patience > 0 && badEvaluations >= options.patience {
                try log.append(record)
                progress.finish()
                printError("stopping early at step \(step): no better validation in the last \(badEvaluations) "
                           + "evaluations (--patience \(options.patience))")
                break
            }
            if Interrupt.requested {
                try save(to: out + "/last.safetensors")
                progress.finish()
                printError("interrupted at step \(step); saved \(out)/last.safetensors — continue with --resume \(out)/last.safetensors")
                throw ExitCode(ExitStatus.interrupted)
            }
        }
        progress.finish()
        if let bpc = lastValidationBPC, !bpc.isFinite {
            let best = bestValidation.isFinite
                ? String(format: "; best.safetensors holds the best finite one (%.3f)", bestValidation / M_LN2) : ""
            throw UsageFailure("training ended with a validation loss that is NaN or infinite (the state grows without "
                               + "bound over the long validation stream); \(out)/last.safetensors holds this model\(best); "
                               + "try a smaller --lr, --clip 1, or another --init")
        }
        if let bpc = lastValidationBPC {
            print(String(format: "validation bits per character: %.3f (best %.3f; the %d-gram baseline: %.3f)", bpc,
                         bestValidation / M_LN2, baselineOrder, baselineBPC))
        }
        print("checkpoints: \(out)/last.safetensors, \(out)/best.safetensors")
        print("sample: " + sampleText(length: 300))
    }

    /// ln 2: nats per bit.
    private let ln2 = M_LN2

    private func sampleText(length: Int) -> String {
        // A generator of its own per step: printing samples never changes what training computes.
        var sampleRNG = Xoshiro256StarStar(seed: options.seed &+ UInt64(trainer.step))
        let ids = Sampler(model: model).sample(prime: [corpus.vocabulary.id("\n") ?? 0], length: length,
                                               temperature: 0.8, topK: 0, rng: &sampleRNG)
        return corpus.vocabulary.decode(ids)
    }

    /// The PyTorch modules the checkpoint's tensors load into, or why there are none.
    private func pytorchModule(_ c: ModelConfig) -> String {
        let sizes = "input_size=\(c.inputWidth), hidden_size=\(c.hidden), num_layers=\(c.layers)"
        let decoder = " + nn.Linear(\(c.hidden), \(c.outputWidth)); input is one-hot"
            + (c.directOrders > 0 ? "; direct.weight (hashed n-gram logits) has no PyTorch module" : "")
        switch c.cell {
        case .rnn where c.activation == .sigmoid:
            return "none: sigmoid has no nn.RNN counterpart (weights are laid out as nn.RNN's)"
        case .rnn: return "nn.RNN(\(sizes), nonlinearity='\(c.activation.rawValue)')" + decoder
        case .lstm: return "nn.LSTM(\(sizes))" + decoder
        case .gru: return "nn.GRU(\(sizes))" + decoder
        case .indrnn:
            return "none: the IndRNN has no PyTorch module (weight_hh_l<k> is the vector u of h = "
                + "\(c.activation.rawValue)(W_ih x + u*h_prev + b_ih))"
        }
    }

    private func save(to path: String) throws {
        var metadata = tokenizerOptions.metadata
        let c = model.config
        metadata["format"] = Checkpoint.format
        metadata["vocab"] = corpus.vocabulary.json
        metadata["cell"] = c.cell.rawValue
        metadata["activation"] = c.activation.rawValue
        metadata["pytorch_module"] = pytorchModule(c)
        metadata["layers"] = String(c.layers)
        metadata["hidden"] = String(c.hidden)
        metadata["direct_orders"] = String(c.directOrders)
        if c.directOrders > 0 { metadata["direct_bits"] = String(c.directBits) }
        metadata["init"] = initialization.name
        metadata["step"] = String(trainer.step)
        metadata["batch"] = String(options.batch)
        metadata["seq_len"] = String(options.seqLen)
        metadata["optimizer"] = options.optimizer.rawValue
        metadata["lr"] = String(trainer.learningRate.current)
        metadata["clip_events"] = String(trainer.clipEvents)
        metadata["data_position"] = String(stream.position)
        metadata["best_val_loss"] = String(bestValidation)
        metadata["seed"] = String(options.seed)
        metadata["bad_evaluations"] = String(badEvaluations)
        for (key, value) in trainingRecipe { metadata[key] = value }
        let tensors = Checkpoint.tensors(of: model)
            + Checkpoint.resumeTensors(optimizer: trainer.optimizer, model: model, carried: trainer.workspace)
        try Checkpoint.write(SafeTensors.Contents(metadata: metadata, tensors: tensors), to: path)
    }

    /// An earlier run's files in `out` are replaced only when asked (--force) or continued (--resume from that
    /// folder); otherwise train refuses before writing anything (exit 2).
    private static func checkNothingIsLost(in out: String, options: Train) throws {
        let earlier = ["last.safetensors", "best.safetensors", "log.jsonl"]
            .filter { FileManager.default.fileExists(atPath: out + "/" + $0) }
        guard !earlier.isEmpty, !options.force else { return }
        if let resume = options.resume,
           URL(fileURLWithPath: resume).deletingLastPathComponent().standardizedFileURL.path
               == URL(fileURLWithPath: out).standardizedFileURL.path {
            return
        }
        printError("nlp-vanish: \(out) already holds another run (\(earlier.joined(separator: ", "))); continue it with "
                   + "--resume \(out)/last.safetensors, replace it with --force, or choose another --out")
        throw ExitCode(ExitStatus.usage)
    }

    /// The options that change what training computes beyond the model's shape, as the checkpoint records them
    /// and a resumed run must repeat them.
    private var trainingRecipe: [String: String] {
        var recipe = ["dropout": "\(options.dropout)", "weight_decay": "\(options.weightDecay)",
                      "weight_drop": "\(options.weightDropProbability)",
                      "schedule": options.schedule.rawValue, "reset_share": "\(options.resetShare)",
                      "min_count": "\(options.minCount)", "patience": "\(options.patience)",
                      "seed": "\(options.seed)"]
        if options.directOrders > 0 { recipe["direct_lr"] = "\(options.directLR)" }
        if case .warmupCosine(let warmup, let total, let floor) = trainer.settings.schedule {
            recipe["warmup"] = "\(warmup)"
            recipe["min_lr"] = "\(floor)"
            recipe["total_steps"] = "\(total)"    // the cosine's length: a resumed run must end where it was planned
        }
        return recipe
    }

    /// Zeroes the carried state of a share (--reset-share) of the window's sequences, chosen from the seed and the
    /// step: evaluation and sampling start from the zero state, which carried training windows never visit.
    private func resetSomeSequences() {
        guard options.resetShare > 0 else { return }
        var rng = Xoshiro256StarStar(seed: options.seed ^ (0x5EED_0000_0000_0000 &+ UInt64(trainer.step)))
        for row in 0..<trainer.workspace.batch where Double(rng.nextFloat()) < options.resetShare {
            trainer.workspace.resetState(row: row)
        }
    }

    static func timestamp() -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyyMMdd-HHmmss"
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date())
    }
}
