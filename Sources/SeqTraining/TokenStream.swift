import SeqModel
/// A long token sequence cut into B parallel streams, read T steps at a time — the classic char-rnn layout for
/// truncated BPTT: stream b is the b-th contiguous 1/B of the text, window w covers its positions w·T … w·T + T,
/// and the hidden state carries from window w to w + 1 because they continue the same text.
///
/// The position is one integer (windows read so far), so a checkpoint restores it exactly.
public struct TokenStream: Sendable {
    public let tokens: [Int32]
    public let batch: Int
    public let steps: Int
    /// Windows read so far, over every epoch.
    public var position: Int

    /// Tokens per stream; each window reads T inputs and their T next-token targets.
    public var streamLength: Int { (tokens.count - 1) / batch }
    /// Windows in one pass over the text (the remainder shorter than T is skipped).
    public var windowsPerEpoch: Int { streamLength / steps }

    /// Nil when the text is too short for one window of B streams × T steps (+1 for the last target).
    public init?(tokens: [Int32], batch: Int, steps: Int, position: Int = 0) {
        guard batch > 0, steps > 0, tokens.count >= batch * steps + 1 else { return nil }
        self.tokens = tokens
        self.batch = batch
        self.steps = steps
        self.position = position
    }

    /// Writes the next window's inputs and targets (and the tokens before it, `Workspace.history`) into `ws`
    /// and advances. Returns true when the window starts
    /// a new pass over the text, where the caller should reset the hidden state rather than carry it.
    public mutating func fill(_ ws: Workspace) -> Bool {
        let w = position % windowsPerEpoch
        let (T, B) = (steps, batch)
        tokens.withUnsafeBufferPointer { text in
            for b in 0..<B {
                let start = b * streamLength + w * T
                ws.setHistory(row: b, from: text, start: start)
                for t in 0..<T {
                    ws.tokens[t * B + b] = text[start + t]
                    ws.targets[t * B + b] = text[start + t + 1]
                }
            }
        }
        position += 1
        return w == 0
    }
}

/// A corpus's deterministic train/validation split: the last `validationFraction` of each file's tokens goes to
/// validation, so every file — every register of the corpus — is represented in both parts.
public struct CorpusSplit: Sendable {
    public var train: [Int32] = []
    public var validation: [Int32] = []

    public init(files: [[Int32]], validationFraction: Double) {
        for ids in files {
            let cut = ids.count - Int((Double(ids.count) * validationFraction).rounded())
            train += ids[..<cut]
            validation += ids[cut...]
        }
    }
}
