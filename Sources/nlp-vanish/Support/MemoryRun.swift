import Foundation
import SeqModel
import SeqMemory

/// One checkpoint's memory, measured: the context ablation over evenly spaced positions and the Portuguese
/// long-distance sites, the whole-stream figure, and the gradient reach.
struct MemoryMeasurement: Codable {
    /// The context ablation on one set of positions.
    struct Subset: Codable {
        var name: String
        var curve: ContextCurve
        /// The shortest k within 1% and 0.1% of the whole-stream figure (nil: none up to --max-distance).
        var effectiveContext1: Int?
        var effectiveContext01: Int?
        /// The median distance back to the opening mark, where the subset's sites have one.
        var medianDistance: Int?
    }

    struct Reach: Codable {
        var distance: Int
        var positions: Int
        /// Mean ‖∂ℓ_t/∂h_{t−k}‖ per layer, k = 0…distance; the LSTM's cell state; the one-hot input.
        var hidden: [[Double]]
        var cell: [[Double]]
        var input: [Double]
    }

    var label: String
    var checkpoint: String
    var cell: String
    var activation: String
    var initialization: String
    var layers: Int
    var hidden: Int
    var parameters: Int
    var text: String
    /// Characters scored reading the text as one stream, and their mean bits: `eval`'s figures.
    var characters: Int
    var bitsPerCharacter: Double
    var subsets: [Subset]
    var reach: Reach
    var seconds: Double

    /// Labels name the cell (`tanh:xavier`, `gru`); two checkpoints of one kind get their folder and file appended.
    static func disambiguateLabels(_ all: inout [MemoryMeasurement]) {
        let counts = Dictionary(grouping: all.indices, by: { all[$0].label })
        for (_, indices) in counts where indices.count > 1 {
            for i in indices {
                let file = URL(fileURLWithPath: all[i].checkpoint)
                all[i].label += " (\(file.deletingLastPathComponent().lastPathComponent)/\(file.deletingPathExtension().lastPathComponent))"
            }
        }
        let again = Dictionary(grouping: all.indices, by: { all[$0].label })
        for (_, indices) in again where indices.count > 1 {
            for (n, i) in indices.enumerated() { all[i].label += " #\(n + 1)" }
        }
    }
}

/// The measurement of one checkpoint on one text, with progress on standard error.
struct MemoryRun {
    /// Positions the gradient reach averages over (each a backward pass through --max-distance + 1 steps).
    static let reachPositions = 512
    /// Closing marks whose opener lies at least this far back form the "far" subset.
    static let farMark = 32

    let loaded: LoadedCheckpoint
    let tokens: [Int32]
    let textName: String
    let maxDistance: Int
    let positionCount: Int
    let threads: Int

    init(loaded: LoadedCheckpoint, tokens: [Int32], textName: String, maxDistance: Int, positions: Int,
         threads: Int) throws {
        guard tokens.count >= maxDistance + 2 else {
            throw UsageFailure("\(textName): \(tokens.count) characters, too short for --max-distance \(maxDistance), "
                               + "which needs at least \(maxDistance + 2); give a longer text or a smaller --max-distance")
        }
        self.loaded = loaded
        self.tokens = tokens
        self.textName = textName
        self.maxDistance = maxDistance
        positionCount = positions
        self.threads = threads
    }

    /// The context lengths: the powers of 2 up to --max-distance, and --max-distance itself.
    var lengths: [Int] {
        let powers = sequence(first: 1) { $0 * 2 }.prefix { $0 <= maxDistance }
        return Array(powers) + (powers.last == maxDistance ? [] : [maxDistance])
    }

    func measure() throws -> MemoryMeasurement {
        let started = Date()
        let model = loaded.model, config = model.config
        let k = maxDistance
        // Every measured position has k characters before it, so every context length is what it says.
        let sample = evenlySpaced(Array(k...(tokens.count - 2)), count: positionCount)
        let reachAt = evenlySpaced(sample, count: Self.reachPositions)
        let text = tokens.map { loaded.vocabulary.tokens[Int($0)] }
        let sites = LongDistanceSite.find(in: text).filter { $0.position >= k && $0.position + 1 < tokens.count }
        var subsets: [(name: String, positions: [Int], distances: [Int])] = [("all positions", sample, [])]
        func addSites(_ name: String, _ chosen: [LongDistanceSite]) {
            let kept = evenlySpaced(chosen, count: positionCount)
            if !kept.isEmpty { subsets.append((name, kept.map(\.position), kept.compactMap(\.distance))) }
        }
        addSites("closing mark, opener < \(Self.farMark) back",
                 sites.filter { $0.kind == .closingMark && $0.distance! < Self.farMark })
        addSites("closing mark, opener ≥ \(Self.farMark) back",
                 sites.filter { $0.kind == .closingMark && $0.distance! >= Self.farMark })
        addSites("dialogue dash", sites.filter { $0.kind == .dialogueDash })
        addSites("gender ending", sites.filter { $0.kind == .genderEnding })

        let lengths = self.lengths
        let progress = Progress(total: lengths.count + 2, label: "\(label(config)): stage", plainEvery: 1)
        let stream = StreamPass(model: model, tokens: tokens, statesAfter: Set(reachAt.map { $0 - k - 1 }))
        let streamBits = stream.meanLoss / M_LN2
        guard streamBits.isFinite else {
            throw UsageFailure("\(loaded.path): the model's loss on \(textName) is not finite (NaN or infinite); "
                               + "its weights may have diverged, so there is no memory to measure")
        }
        progress.update(1, text: String(format: "whole stream %.4f bits per character", streamBits))
        let union = Array(Set(subsets.flatMap(\.positions))).sorted()
        let column = Dictionary(uniqueKeysWithValues: union.enumerated().map { ($1, $0) })
        var done = 1
        let nats = ContextAblation.losses(model: model, tokens: tokens, positions: union, lengths: lengths,
                                          batch: groupSize(64, steps: maxDistance), threads: threads) { length in
            done += 1
            progress.update(done, text: "context \(length) over \(union.count) positions")
        }
        let reach = GradientReach(model: model, tokens: tokens, positions: reachAt, distance: k, stream: stream,
                                  batch: groupSize(32, steps: k + 1), threads: threads)
        progress.update(lengths.count + 2, text: "gradient reach over \(reachAt.count) positions")
        progress.finish()

        let measuredSubsets = subsets.map { subset -> MemoryMeasurement.Subset in
            let columns = subset.positions.map { column[$0]! }
            let curve = ContextCurve(lengths: lengths, nats: nats.map { row in columns.map { row[$0] } },
                                     unlimitedNats: subset.positions.map { stream.losses[$0] })
            let sorted = subset.distances.sorted()
            return .init(name: subset.name, curve: curve, effectiveContext1: curve.effectiveContext(within: 0.01),
                         effectiveContext01: curve.effectiveContext(within: 0.001),
                         medianDistance: sorted.isEmpty ? nil : sorted[sorted.count / 2])
        }
        return MemoryMeasurement(
            label: label(config), checkpoint: loaded.path, cell: config.cell.rawValue,
            activation: config.activation.rawValue, initialization: loaded.initialization, layers: config.layers,
            hidden: config.hidden, parameters: config.parameterCount, text: textName, characters: stream.losses.count,
            bitsPerCharacter: streamBits, subsets: measuredSubsets,
            reach: .init(distance: k, positions: reach.positions, hidden: reach.hidden, cell: reach.cell,
                         input: reach.input),
            seconds: Date().timeIntervalSince(started))
    }

    /// Positions per window: `preferred` up to windows of 256 steps at 320 units, fewer for longer windows or
    /// wider models, so a window's buffers stay near the default's size (tens of megabytes) whatever the flags.
    private func groupSize(_ preferred: Int, steps: Int) -> Int {
        let budget = preferred * 257 * 320
        return max(1, min(preferred, budget / (steps * loaded.model.config.hidden)))
    }

    private func label(_ config: ModelConfig) -> String {
        config.cell == .rnn ? "\(config.activation.rawValue):\(loaded.initialization)" : config.cell.rawValue
    }
}

/// `count` elements of `items` spread evenly from its first (all of them when it has no more).
func evenlySpaced<T>(_ items: [T], count: Int) -> [T] {
    guard items.count > count else { return items }
    return (0..<count).map { items[$0 * items.count / count] }
}
