/// Positions in Portuguese text where the character to predict depends on something many characters back, found
/// from the characters alone (no parser): the context ablation restricted to them shows what long context is worth
/// where it is needed, rather than averaged over every position.
///
/// A site at position p means: predicting character p + 1 from characters 0…p.
public struct LongDistanceSite: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A `)`, `»` or the second `"` of a line: the mark that closes one opened `distance` characters back.
        case closingMark = "closing mark"
        /// A `—` inside a line that opened with `—` (a dialogue turn): the dash that closes the speech and opens the
        /// narrator's aside, `distance` characters after the line's previous dash.
        case dialogueDash = "dialogue dash"
        /// The o or a after -ad- or -id- ending a word of seven letters or more (fechada, partidos): the gender slot
        /// of a participle or adjective, which agrees with a noun somewhere before it. The distance is unknown.
        case genderEnding = "gender ending"
    }

    public let position: Int
    public let kind: Kind
    /// How far back the opening character lies (nil where it is not known).
    public let distance: Int?

    public init(position: Int, kind: Kind, distance: Int?) {
        self.position = position
        self.kind = kind
        self.distance = distance
    }

    /// Every site in `text` (one grapheme per element), in order of position. Marks are matched within a line.
    public static func find(in text: [String]) -> [LongDistanceSite] {
        var sites: [LongDistanceSite] = []
        var openers: [(mark: String, at: Int)] = []     // `(` and `«` still open on this line
        var openQuote: Int?                              // the line's open `"`
        var lineStart = 0
        var lastDash: Int?
        for (i, c) in text.enumerated() {
            switch c {
            case "\n":
                openers.removeAll()
                openQuote = nil
                lineStart = i + 1
                lastDash = nil
            case "(", "«":
                openers.append((c, i))
            case ")", "»":
                if let last = openers.lastIndex(where: { $0.mark == (c == ")" ? "(" : "«") }) {
                    if i > 0 { sites.append(.init(position: i - 1, kind: .closingMark, distance: i - openers[last].at)) }
                    openers.removeSubrange(last...)
                }
            case "\"":
                if let open = openQuote {
                    sites.append(.init(position: i - 1, kind: .closingMark, distance: i - open))
                    openQuote = nil
                } else {
                    openQuote = i
                }
            case "—":
                if i > lineStart, text[lineStart] == "—", let previous = lastDash {
                    sites.append(.init(position: i - 1, kind: .dialogueDash, distance: i - previous))
                }
                lastDash = i
            case "o", "a":
                if isGenderSlot(text, i) { sites.append(.init(position: i - 1, kind: .genderEnding, distance: nil)) }
            default:
                break
            }
        }
        return sites
    }

    /// Whether text[i] (o or a) follows -ad- or -id- after at least four more letters and ends the word, alone or
    /// before a plural s.
    private static func isGenderSlot(_ text: [String], _ i: Int) -> Bool {
        guard i >= 6, text[i - 1] == "d", text[i - 2] == "a" || text[i - 2] == "i" else { return false }
        func isLetter(_ j: Int) -> Bool { j >= 0 && j < text.count && text[j].allSatisfy(\.isLetter) }
        guard (3...6).allSatisfy({ isLetter(i - $0) }) else { return false }
        if !isLetter(i + 1) { return true }
        return text[i + 1] == "s" && !isLetter(i + 2)
    }
}
