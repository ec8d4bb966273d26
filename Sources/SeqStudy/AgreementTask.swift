import SeqModel
/// Portuguese agreement at distance d: «‹article noun› ‹real text› ‹gerund› ‹adjective stem›», and at the stem's
/// last letter the network must choose the ending — o, a, os or as — that agrees in gender and number with the
/// noun at the start. The filler is corpus text, so it holds other articles and nouns (attractors, as in Linzen,
/// Dupoux & Goldberg 2016). The verb is a gerund (ficando, parecendo…), which Portuguese does not inflect, so
/// nothing near the end gives the answer away. Chance 1/4, or 1/2 with singular nouns only (`gendersOnly`).
///
/// Layout: filler to pad, then the noun phrase ending at a fixed step, then at least d tokens of filler, then
/// the gerund and the stem ending at the last step T.
public struct AgreementTask: SequenceTask {
    /// The four endings, in class order: class = gender (0 masculine, 1 feminine) + 2·plural.
    public static let endings = ["o", "a", "os", "as"]

    struct Phrase { var tokens: [Int32]; var label: Int }

    public let filler: FillerText
    public let distance: Int
    public let gendersOnly: Bool
    private let phrases: [Phrase]
    private let suffixes: [[Int32]]
    private let prefixLength: Int
    private let suffixLength: Int

    /// `encode` turns lexicon text into the filler's token ids (the caller's tokenizer and vocabulary).
    public init(filler: FillerText, distance: Int, gendersOnly: Bool = false, encode: (String) -> [Int32]) {
        precondition(distance >= 1, "agreement distance must be positive")
        self.filler = filler
        self.distance = distance
        self.gendersOnly = gendersOnly
        var phrases = [Phrase]()
        for (singular, plural, feminine) in AgreementLexicon.nouns {
            let gender = feminine ? 1 : 0
            phrases.append(Phrase(tokens: encode((feminine ? "a " : "o ") + singular), label: gender))
            if !gendersOnly {
                phrases.append(Phrase(tokens: encode((feminine ? "as " : "os ") + plural), label: gender + 2))
            }
        }
        self.phrases = phrases
        suffixes = AgreementLexicon.gerunds.flatMap { verb in
            AgreementLexicon.adjectiveStems.map { encode(" " + verb + " " + $0) }
        }
        prefixLength = phrases.map(\.tokens.count).max() ?? 0
        suffixLength = suffixes.map(\.count).max() ?? 0
        precondition(filler.tokens.count > distance + prefixLength + suffixLength, "filler text too short")
    }

    public var kind: TaskKind { .agreement }
    /// One space before the filler, so the noun is a separate word whatever precedes it.
    public var steps: Int { prefixLength + 1 + distance + suffixLength }
    public var input: ModelConfig.Input { .tokens(vocabulary: filler.vocabulary) }
    public var head: ModelConfig.Head { .classification(classes: gendersOnly ? 2 : 4) }
    public var chance: Double { gendersOnly ? 0.5 : 0.25 }
    /// The noun phrase always ends at step `prefixLength`.
    public var sourceStep: Int { prefixLength }

    public func fill(_ ws: Workspace, rng: inout Xoshiro256StarStar) {
        let (T, B) = (steps, ws.batch)
        var sequence = [Int32]()
        sequence.reserveCapacity(T)
        for b in 0..<B {
            let phrase = phrases[rng.below(phrases.count)]
            let suffix = suffixes[rng.below(suffixes.count)]
            sequence.removeAll(keepingCapacity: true)
            sequence += filler.window(prefixLength - phrase.tokens.count, rng: &rng)
            sequence += phrase.tokens
            sequence += filler.window(T - prefixLength - suffix.count, rng: &rng)
            sequence += suffix
            for t in 0..<T {
                ws.tokens[t * B + b] = sequence[t]
                ws.targets[t * B + b] = -1
            }
            ws.targets[(T - 1) * B + b] = Int32(phrase.label)
        }
    }
}

/// The words the agreement task builds its sentences from (all take -o/-a/-os/-as adjectives regularly).
enum AgreementLexicon {
    /// (singular, plural, feminine)
    static let nouns: [(String, String, Bool)] = [
        ("gato", "gatos", false), ("menino", "meninos", false), ("barco", "barcos", false),
        ("livro", "livros", false), ("jardim", "jardins", false), ("pescador", "pescadores", false),
        ("caminho", "caminhos", false), ("vizinho", "vizinhos", false), ("mercado", "mercados", false),
        ("rio", "rios", false), ("casa", "casas", true), ("menina", "meninas", true),
        ("janela", "janelas", true), ("cidade", "cidades", true), ("ponte", "pontes", true),
        ("professora", "professoras", true), ("estrada", "estradas", true), ("canção", "canções", true),
        ("árvore", "árvores", true), ("praia", "praias", true),
    ]
    static let gerunds = ["ficando", "parecendo", "continuando", "permanecendo", "mostrando-se", "tornando-se"]
    static let adjectiveStems = ["branc", "pequen", "cansad", "quiet", "molhad", "lind", "antig", "nov",
                                 "escur", "fri", "calad", "alt"]
}
