import SeqModel
/// Real text as token ids, used as the filler between a dependency's source and its use: the network must
/// carry the source across language it also has to read, not across silence.
public struct FillerText: Sendable {
    /// The filler's token ids (0…fillerVocabulary−1).
    public let tokens: [Int32]
    /// How many distinct filler ids there are; task-specific tokens are numbered after them.
    public let vocabulary: Int

    public init(tokens: [Int32], vocabulary: Int) {
        self.tokens = tokens
        self.vocabulary = vocabulary
    }

    /// `count` consecutive tokens from a random place (the text must be longer than `count`).
    func window(_ count: Int, rng: inout Xoshiro256StarStar) -> ArraySlice<Int32> {
        let start = rng.below(tokens.count - count + 1)
        return tokens[start..<(start + count)]
    }
}
