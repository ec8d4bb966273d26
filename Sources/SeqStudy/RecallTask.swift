import SeqModel
/// Copy at distance d: one of K key tokens, d tokens of real text, a query token; at the query the network
/// must name the key. Only the query step is scored, so the only way to lower the loss is to carry the key
/// across all d steps — chance accuracy 1/K, chance loss ln K.
///
/// Keys and the query are reserved ids after the filler's vocabulary and never occur in the filler.
public struct RecallTask: SequenceTask {
    public let filler: FillerText
    public let keys: Int
    public let distance: Int

    public init(filler: FillerText, distance: Int, keys: Int = 8) {
        precondition(distance >= 1 && keys >= 2 && filler.tokens.count > distance, "recall task out of range")
        self.filler = filler
        self.distance = distance
        self.keys = keys
    }

    public var kind: TaskKind { .recall }
    public var steps: Int { distance + 2 }
    public var input: ModelConfig.Input { .tokens(vocabulary: filler.vocabulary + keys + 1) }
    public var head: ModelConfig.Head { .classification(classes: keys) }
    public var chance: Double { 1 / Double(keys) }
    public var sourceStep: Int { 1 }
    private var queryToken: Int32 { Int32(filler.vocabulary + keys) }

    public func fill(_ ws: Workspace, rng: inout Xoshiro256StarStar) {
        let (T, B) = (steps, ws.batch)
        for b in 0..<B {
            let key = rng.below(keys)
            ws.tokens[b] = Int32(filler.vocabulary + key)
            for (i, token) in filler.window(distance, rng: &rng).enumerated() { ws.tokens[(1 + i) * B + b] = token }
            ws.tokens[(T - 1) * B + b] = queryToken
            for t in 0..<(T - 1) { ws.targets[t * B + b] = -1 }
            ws.targets[(T - 1) * B + b] = Int32(key)
        }
    }
}
