import Foundation
import XCTest
@testable import NGram

/// The Kneser-Ney model against hand-computed values, its normalisation in every context, a plain dictionary
/// implementation of the same formulas, and the edge cases of the discount estimate.
final class KneserNeyTests: XCTestCase {
    // MARK: helpers

    /// Ids for the letters of "abracadabra": <unk> 0, a 1, b 2, r 3, c 4, d 5 (V = 6).
    private let abracadabra: [Int32] = "abracadabra".map { Int32(Array("?abrcd").firstIndex(of: $0)!) }

    /// Ids of `text` over its own alphabet, id 0 left for <unk> and `spare` ids at the end that never occur.
    private func encode(_ text: String, spare: Int = 2) -> (ids: [Int32], vocabulary: Int) {
        var alphabet: [Character: Int32] = [:]
        var ids = [Int32]()
        for ch in text {
            if alphabet[ch] == nil { alphabet[ch] = Int32(alphabet.count + 1) }
            ids.append(alphabet[ch]!)
        }
        return (ids, alphabet.count + 1 + spare)
    }

    private func p(_ model: KneserNeyModel, _ token: Int32, _ context: [Int32]) -> Double {
        model.probability(of: token, after: context[...])
    }

    /// Σ_w P(w | context) over the whole vocabulary.
    private func total(_ model: KneserNeyModel, _ context: ArraySlice<Int32>) -> Double {
        (0..<Int32(model.vocabularySize)).reduce(0.0) { $0 + model.probability(of: $1, after: context) }
    }

    /// A small deterministic generator (SplitMix64) for random texts and contexts.
    private struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    /// A text over `alphabet` ids with some structure (a Markov chain of order 2 with a few likely successors),
    /// so that counts of every size occur.
    private func structuredText(length: Int, alphabet: [Int32], seed: UInt64) -> [Int32] {
        var g = Generator(state: seed)
        var text: [Int32] = [alphabet[0], alphabet[1 % alphabet.count]]
        while text.count < length {
            let a = Int(text[text.count - 2]), b = Int(text[text.count - 1])
            let r = g.below(10)
            let index = r < 6 ? (a * 7 + b * 3) % alphabet.count : r < 9 ? (a + 2 * b + 1) % alphabet.count
                : g.below(alphabet.count)
            text.append(alphabet[index])
        }
        return text
    }

    // MARK: normalisation

    func testProbabilitiesSumToOneInSeenAndUnseenContexts() {
        let (ids, v) = encode("o rato roeu a roupa do rei de roma, e a rainha, de raiva, roeu o resto da roupa do rei.")
        var g = Generator(state: 7)
        for order in 1...5 {
            let model = KneserNeyModel(tokens: ids, vocabularySize: v, order: order)
            // Every context that occurs: each suffix, of every length up to N (one longer than is used), ending
            // at each position of the text.
            for end in 0...ids.count {
                for length in 0...min(end, order) {
                    let context = ids[(end - length)..<end]
                    XCTAssertEqual(total(model, context), 1, accuracy: 1e-9, "order \(order), context \(Array(context))")
                }
            }
            // Unseen ones: random ids, <unk> and the spare ids included.
            for _ in 0..<200 {
                let context = (0..<g.below(order + 2)).map { _ in Int32(g.below(v)) }
                XCTAssertEqual(total(model, context[...]), 1, accuracy: 1e-9, "order \(order), context \(context)")
                for w in 0..<Int32(v) { XCTAssertGreaterThan(p(model, w, context), 0) }
            }
        }
    }

    func testLargeVocabulariesPackCorrectly() {
        // 300 ids need 9 bits (7 a word), 70 000 need 17 (3 a word): an order-9 gram spans two and three words.
        for (v, step) in [(300, 37), (70_000, 6_007)] {
            let alphabet = (1...6).map { Int32($0 * step % v) }
            let text = structuredText(length: 4_000, alphabet: alphabet, seed: UInt64(v))
            let model = KneserNeyModel(tokens: text, vocabularySize: v, order: 9)
            let reference = ReferenceKneserNey(tokens: text, vocabularySize: v, order: 9)
            for end in stride(from: 1, through: 3_000, by: 97) {
                let context = text[max(0, end - 8)..<end]
                for w in alphabet + [0, Int32(v - 1)] {
                    XCTAssertEqual(model.probability(of: w, after: context), reference.probability(w, Array(context)),
                                   accuracy: 1e-12)
                }
            }
            if v == 300 {
                XCTAssertEqual(total(model, text[100..<108]), 1, accuracy: 1e-9)
                XCTAssertEqual(total(model, [299, 299, 0][...]), 1, accuracy: 1e-9)
            }
        }
    }

    // MARK: hand-computed values

    /// "abracadabra" (11 tokens), order 2, V = 6.
    ///
    /// Order 2 counts occurrences of each bigram (positions 0…9: ab br ra ac ca ad da ab br ra):
    ///   ab 2, br 2, ra 2, ac 1, ca 1, ad 1, da 1.
    ///   n1 = 4, n2 = 3, n3 = n4 = 0 → Y = 4 / (4 + 2·3) = 0.4,
    ///   D1 = 1 − 2 · 0.4 · 3/4 = 0.4, D2 = 2 − 3 · 0.4 · 0/3 = 2, D3+ has n3 = 0 → fallback 1.5.
    /// Order 1 counts distinct left neighbours (the start counts as one):
    ///   a follows start, r, c, d → 4;  b follows a → 1;  r follows b → 1;  c follows a → 1;  d follows a → 1.
    ///   n1 = 4, n2 = 0, n3 = 0, n4 = 1 → Y = 1, D1 = 1 − 0 = 1; D2 (n2 = 0) → fallback 1; D3+ (n3 = 0) → 1.5.
    ///   Σ = 8, γ = 1·4 (b r c d) + 1.5·1 (a) = 5.5, and the uniform floor is 1/6:
    ///   P1(a) = (4 − 1.5 + 5.5/6) / 8 = (5/2 + 11/12) / 8 = 41/96
    ///   P1(x) = (1 − 1 + 5.5/6) / 8 = 11/96 for x = b, r, c, d, and for <unk> (count 0) too.
    /// Order 2, context a: followers b (2), c (1), d (1): Σ = 4, N1 = 2, N2 = 1, γ = 0.4·2 + 2·1 = 2.8.
    ///   P(b|a) = (2 − 2 + 2.8 · 11/96) / 4 = 0.7 · 11/96 = 7.7/96
    ///   P(c|a) = (1 − 0.4 + 2.8 · 11/96) / 4 = 0.15 + 7.7/96
    ///   P(a|a) = 2.8 · 41/96 / 4 = 0.7 · 41/96 = 28.7/96
    /// Context c: follower a (1): Σ = 1, N1 = 1, γ = 0.4.
    ///   P(a|c) = 0.6 + 0.4 · 41/96;  P(b|c) = 0.4 · 11/96.
    /// Context r: follower a (2): Σ = 2, N2 = 1, γ = 2 → P(a|r) = (0 + 2 · 41/96) / 2 = 41/96 (D2 = 2 keeps nothing).
    /// Context <unk> was never seen: P(·|<unk>) = P1.
    func testAbracadabraOrder2() {
        let model = KneserNeyModel(tokens: abracadabra, vocabularySize: 6, order: 2)
        let (a, b, r, c, d, unk): (Int32, Int32, Int32, Int32, Int32, Int32) = (1, 2, 3, 4, 5, 0)
        XCTAssertEqual(model.discounts[1].d1, 0.4, accuracy: 1e-15)
        XCTAssertEqual(model.discounts[1].d2, 2)
        XCTAssertEqual(model.discounts[1].d3, 1.5)
        XCTAssertEqual(model.discounts[1].fellBack, [false, false, true])
        XCTAssertEqual(model.discounts[1].countOfCounts, [4, 3, 0, 0])
        XCTAssertEqual(model.discounts[0].countOfCounts, [4, 0, 0, 1])
        XCTAssertEqual([model.discounts[0].d1, model.discounts[0].d2, model.discounts[0].d3], [1, 1, 1.5])

        XCTAssertEqual(p(model, a, []), 41.0 / 96, accuracy: 1e-12)
        for x in [b, r, c, d, unk] { XCTAssertEqual(p(model, x, []), 11.0 / 96, accuracy: 1e-12) }
        XCTAssertEqual(p(model, b, [a]), 7.7 / 96, accuracy: 1e-12)
        XCTAssertEqual(p(model, c, [a]), 0.15 + 7.7 / 96, accuracy: 1e-12)
        XCTAssertEqual(p(model, d, [a]), 0.15 + 7.7 / 96, accuracy: 1e-12)
        XCTAssertEqual(p(model, a, [a]), 28.7 / 96, accuracy: 1e-12)
        XCTAssertEqual(p(model, r, [a]), 7.7 / 96, accuracy: 1e-12)
        XCTAssertEqual(p(model, a, [c]), 0.6 + 0.4 * 41 / 96, accuracy: 1e-12)
        XCTAssertEqual(p(model, b, [c]), 0.4 * 11 / 96, accuracy: 1e-12)
        XCTAssertEqual(p(model, a, [r]), 41.0 / 96, accuracy: 1e-12)
        XCTAssertEqual(p(model, a, [unk]), 41.0 / 96, accuracy: 1e-12)
        // Only the last N − 1 = 1 context token counts.
        XCTAssertEqual(p(model, b, [d, r, c, a]), p(model, b, [a]))
    }

    /// "abracadabra", order 3, V = 6.
    ///
    /// Order 3 counts trigram occurrences (abr bra rac aca cad ada dab abr bra):
    ///   abr 2, bra 2, rac 1, aca 1, cad 1, ada 1, dab 1 → n1 = 5, n2 = 2, n3 = n4 = 0,
    ///   Y = 5/9, D1 = 1 − 2 · 5/9 · 2/5 = 5/9, D2 = 2, D3+ → fallback 1.5.
    /// Order 2 counts distinct left neighbours of each bigram (one per distinct trigram ending in it, one more
    /// for the bigram that opens the text):
    ///   ab ← start, d (dab) → 2;  br ← a (abr) → 1;  ra ← b → 1;  ac ← r → 1;  ca ← a → 1;  ad ← c → 1;
    ///   da ← a → 1.  n1 = 6, n2 = 1, n3 = n4 = 0 → Y = 6/8 = 0.75, D1 = 1 − 2 · 0.75 · 1/6 = 0.75, D2 = 2.
    /// Order 1 is as in the order-2 model (it counts distinct bigrams): P1(a) = 41/96, P1(other) = 11/96.
    /// Order 2, context a: followers b (2), c (1), d (1): Σ = 4, γ = 0.75·2 + 2·1 = 3.5.
    ///   P2(b|a) = (0 + 3.5 · 11/96) / 4 = 0.875 · 11/96 = 77/768
    ///   P2(c|a) = (0.25 + 3.5 · 11/96) / 4 = 1/16 + 77/768
    ///   P2(a|a) = 0.875 · 41/96
    /// Context b: follower r (1): Σ = 1, γ = 0.75 → P2(r|b) = 0.25 + 0.75 · 11/96 = 0.3359375 = 43/128,
    ///   P2(a|b) = 0.75 · 41/96 = 0.3203125.
    /// Contexts r, c, d: follower a (1) → P2(a|·) = 0.25 + 0.75 · 41/96 = 0.5703125 = 73/128.
    /// Order 3:
    ///   context ab: follower r (2): Σ = 2, γ = D2 = 2 → P3(r|ab) = (0 + 2 · P2(r|b)) / 2 = 43/128.
    ///   context ac: follower a (1): Σ = 1, γ = 5/9 → P3(a|ac) = 4/9 + 5/9 · 73/128 = 877/1152.
    ///   context da: follower b (1): P3(b|da) = 4/9 + 5/9 · 77/768 = 3457/6912;
    ///                               P3(r|da) = 5/9 · P2(r|a) = 5/9 · 77/768 = 385/6912.
    ///   context bb (never seen): falls to P2(·|b), so P(r|bb) = 43/128.
    func testAbracadabraOrder3() {
        let model = KneserNeyModel(tokens: abracadabra, vocabularySize: 6, order: 3)
        let (a, b, r, c, d, unk): (Int32, Int32, Int32, Int32, Int32, Int32) = (1, 2, 3, 4, 5, 0)
        XCTAssertEqual(model.discounts[2].d1, 5.0 / 9, accuracy: 1e-15)
        XCTAssertEqual(model.discounts[1].d1, 0.75, accuracy: 1e-15)
        XCTAssertEqual(model.discounts[1].countOfCounts, [6, 1, 0, 0])
        XCTAssertEqual(model.distinctGrams(ofLength: 3), 7)
        XCTAssertEqual(model.distinctGrams(ofLength: 2), 7)
        XCTAssertEqual(model.distinctGrams(ofLength: 1), 5)

        XCTAssertEqual(p(model, a, []), 41.0 / 96, accuracy: 1e-12)
        XCTAssertEqual(p(model, b, [a]), 77.0 / 768, accuracy: 1e-12)
        XCTAssertEqual(p(model, c, [a]), 1.0 / 16 + 77.0 / 768, accuracy: 1e-12)
        XCTAssertEqual(p(model, a, [a]), 0.875 * 41 / 96, accuracy: 1e-12)
        XCTAssertEqual(p(model, r, [b]), 43.0 / 128, accuracy: 1e-12)
        XCTAssertEqual(p(model, a, [b]), 0.3203125, accuracy: 1e-12)
        for x in [r, c, d] { XCTAssertEqual(p(model, a, [x]), 73.0 / 128, accuracy: 1e-12) }
        XCTAssertEqual(p(model, r, [a, b]), 43.0 / 128, accuracy: 1e-12)
        XCTAssertEqual(p(model, a, [a, c]), 877.0 / 1152, accuracy: 1e-12)
        XCTAssertEqual(p(model, b, [d, a]), 3457.0 / 6912, accuracy: 1e-12)
        XCTAssertEqual(p(model, r, [d, a]), 385.0 / 6912, accuracy: 1e-12)
        XCTAssertEqual(p(model, r, [b, b]), 43.0 / 128, accuracy: 1e-12)
        XCTAssertEqual(p(model, unk, [d, a]), 5.0 / 9 * 0.875 * 11 / 96, accuracy: 1e-12)
    }

    /// Order 1 on "abcdeeffgghhhiiijjjj" with V = 12 (<unk>, a…j, one spare id). The counts are plain
    /// occurrences: a b c d once, e f g twice, h i three times, j four times, so n1 = 4, n2 = 3, n3 = 2, n4 = 1
    /// (all different, so a formula that swaps two of them changes the result) and every formula applies:
    ///   Y = 4 / (4 + 2·3) = 0.4
    ///   D1  = 1 − 2 · 0.4 · 3/4 = 0.4
    ///   D2  = 2 − 3 · 0.4 · 2/3 = 1.2
    ///   D3+ = 3 − 4 · 0.4 · 1/2 = 2.2
    ///   Σ = 4·1 + 3·2 + 2·3 + 1·4 = 20,  γ = 0.4·4 + 1.2·3 + 2.2·3 (h, i, j) = 11.8,  γ/V = 11.8/12 = 59/60:
    ///   P(a…d)  = (1 − 0.4 + 59/60)/20 = (36 + 59)/1200  = 95/1200
    ///   P(e…g)  = (2 − 1.2 + 59/60)/20 = (48 + 59)/1200  = 107/1200
    ///   P(h, i) = (3 − 2.2 + 59/60)/20 = (48 + 59)/1200  = 107/1200
    ///   P(j)    = (4 − 2.2 + 59/60)/20 = (108 + 59)/1200 = 167/1200
    ///   P(<unk>) = P(spare) = (59/60)/20 = 59/1200.   Sum: 4·95 + 5·107 + 167 + 2·59 = 1200.
    func testOrder1UsesEveryDiscount() {
        let (ids, v) = encode("abcdeeffgghhhiiijjjj", spare: 1)
        XCTAssertEqual(v, 12)
        let model = KneserNeyModel(tokens: ids, vocabularySize: v, order: 1)
        let discounts = model.discounts[0]
        XCTAssertEqual(discounts.countOfCounts, [4, 3, 2, 1])
        XCTAssertEqual(discounts.fellBack, [false, false, false])
        XCTAssertEqual(discounts.d1, 0.4, accuracy: 1e-15)
        XCTAssertEqual(discounts.d2, 1.2, accuracy: 1e-15)
        XCTAssertEqual(discounts.d3, 2.2, accuracy: 1e-15)
        let expected: [Double] = [59, 95, 95, 95, 95, 107, 107, 107, 107, 107, 167, 59].map { $0 / 1200 }
        for (w, value) in expected.enumerated() {
            XCTAssertEqual(p(model, Int32(w), []), value, accuracy: 1e-12, "token \(w)")
            XCTAssertEqual(p(model, Int32(w), [4, 4, 2]), value, accuracy: 1e-12, "order 1 ignores the context")
        }
        // Cross-entropy of the text itself: tokens 1…19 scored, none of them with context at order 1.
        let (nats, scored) = model.crossEntropy(ids)
        XCTAssertEqual(scored, 19)
        let direct = ids.dropFirst().map { -log(expected[Int($0)]) }.reduce(0, +) / 19
        XCTAssertEqual(nats, direct, accuracy: 1e-12)
    }

    /// Order 1 where no discount can be estimated.
    /// "aaaabbbb", V = 4: counts a 4, b 4 → n1 = n2 = n3 = 0, n4 = 2: Y is 0/0, so D1, D2, D3+ all fall back to
    /// 0.5, 1, 1.5. Σ = 8, γ = 1.5·2 = 3, γ/V = 0.75 → P(a) = P(b) = (4 − 1.5 + 0.75)/8 = 0.40625,
    /// P(<unk>) = P(spare) = 0.75/8 = 0.09375.
    /// "a" alone: n1 = 1, n2 = 0 → Y = 1, D1 = 1: the one count is discounted away, P = γ/V / 1 = 1/V, uniform.
    /// No tokens at all: every context is unseen and P is the uniform 1/V.
    func testOrder1WithoutEstimableDiscounts() {
        let (ids, v) = encode("aaaabbbb", spare: 1)
        let model = KneserNeyModel(tokens: ids, vocabularySize: v, order: 1)
        XCTAssertEqual(model.discounts[0].fellBack, [true, true, true])
        XCTAssertEqual([model.discounts[0].d1, model.discounts[0].d2, model.discounts[0].d3], [0.5, 1, 1.5])
        XCTAssertEqual(p(model, 1, []), 0.40625, accuracy: 1e-12)
        XCTAssertEqual(p(model, 2, []), 0.40625, accuracy: 1e-12)
        XCTAssertEqual(p(model, 0, []), 0.09375, accuracy: 1e-12)
        XCTAssertEqual(p(model, 3, []), 0.09375, accuracy: 1e-12)

        let single = KneserNeyModel(tokens: [1], vocabularySize: 5, order: 1)
        XCTAssertEqual(single.discounts[0].d1, 1)
        for w: Int32 in 0..<5 { XCTAssertEqual(p(single, w, []), 0.2, accuracy: 1e-15) }

        for order in [1, 4] {
            let empty = KneserNeyModel(tokens: [], vocabularySize: 9, order: order)
            for w: Int32 in 0..<9 { XCTAssertEqual(p(empty, w, [1, 2, 3]), 1.0 / 9, accuracy: 1e-15) }
            XCTAssertEqual(empty.crossEntropy([]).scored, 0)
            XCTAssertEqual(empty.crossEntropy([3]).scored, 0)
        }
    }

    func testDiscountEstimates() {
        // The formulas inside their ranges.
        let plain = Discounts(n1: 100, n2: 40, n3: 20, n4: 10)
        let y = 100.0 / 180
        XCTAssertEqual(plain.d1, 1 - 2 * y * 40 / 100, accuracy: 1e-15)
        XCTAssertEqual(plain.d2, 2 - 3 * y * 20 / 40, accuracy: 1e-15)
        XCTAssertEqual(plain.d3, 3 - 4 * y * 10 / 20, accuracy: 1e-15)
        XCTAssertEqual(plain.fellBack, [false, false, false])
        // Y = 10/12: D2 = 2 − 3 · Y · 1/1 = −0.5 and D3+ = 3 − 4 · Y · 9/1 = −27 both fall back; D1 = 1 − 1/6 stays.
        let negative = Discounts(n1: 10, n2: 1, n3: 1, n4: 9)
        XCTAssertEqual(negative.d1, 1 - 2 * (10.0 / 12) * 1 / 10, accuracy: 1e-15)
        XCTAssertEqual(negative.d2, 1)
        XCTAssertEqual(negative.d3, 1.5)
        XCTAssertEqual(negative.fellBack, [false, true, true])
        // n1 = 0: Y = 0, so D2 = 2 and D3+ = 3, the top of their ranges, are kept; D1 has no formula.
        let noSingletons = Discounts(n1: 0, n2: 5, n3: 4, n4: 3)
        XCTAssertEqual([noSingletons.d1, noSingletons.d2, noSingletons.d3], [0.5, 2, 3])
        XCTAssertEqual(noSingletons.fellBack, [true, false, false])
        let none = Discounts(n1: 0, n2: 0, n3: 0, n4: 0)
        XCTAssertEqual([none.d1, none.d2, none.d3], [0.5, 1, 1.5])
    }

    // MARK: behaviour

    func testDeterministicContinuationApproachesOne() {
        let (ids, v) = encode(String(repeating: "abcdefgh", count: 60))
        for order in [4, 6, 8] {
            let model = KneserNeyModel(tokens: ids, vocabularySize: v, order: order)
            let context = Array(ids[0..<(order - 1)])   // a, b, c, …
            let next = ids[order - 1]
            XCTAssertGreaterThan(p(model, next, context), 0.97, "order \(order)")
            XCTAssertLessThan(p(model, ids[order], context), 0.01)
            let (nats, scored) = model.crossEntropy(ids)
            XCTAssertEqual(scored, ids.count - 1)
            XCTAssertLessThan(nats / log(2), 0.1, "order \(order): the text is almost free to predict")
        }
    }

    /// `crossEntropy` scores every token after the first with the preceding up to N − 1 tokens of the stream.
    func testCrossEntropyScoresTheStreamPositions() {
        let model = KneserNeyModel(tokens: abracadabra, vocabularySize: 6, order: 3)
        let text: [Int32] = [1, 2, 3, 1, 0, 4, 1, 5, 1, 2]
        var sum = 0.0
        for i in 1..<text.count { sum -= log(p(model, text[i], Array(text[max(0, i - 2)..<i]))) }
        let (nats, scored) = model.crossEntropy(text)
        XCTAssertEqual(scored, 9)
        XCTAssertEqual(nats, sum / 9, accuracy: 1e-12)
        // The second token is scored after one token of context, the first with none: P(b|a) = 77/768.
        XCTAssertEqual(model.crossEntropy([1, 2]).nats, -log(77.0 / 768), accuracy: 1e-12)
    }

    func testMatchesADictionaryImplementation() {
        for (order, v, seed) in [(1, 7, 1), (2, 7, 2), (3, 9, 3), (4, 9, 4), (5, 12, 5), (6, 12, 6)] {
            let alphabet = (1..<Int32(v - 1)).map { $0 }
            let text = structuredText(length: 2_500, alphabet: alphabet, seed: UInt64(seed))
            let train = Array(text[..<2_000]), held = Array(text[2_000...])
            let model = KneserNeyModel(tokens: train, vocabularySize: v, order: order)
            let reference = ReferenceKneserNey(tokens: train, vocabularySize: v, order: order)
            for k in 0..<order {
                XCTAssertEqual(model.discounts[k], reference.discounts[k], "order \(order), discounts of order \(k + 1)")
            }
            var nats = 0.0
            for i in 1..<held.count {
                let context = Array(held[max(0, i - order + 1)..<i])
                let expected = reference.probability(held[i], context)
                XCTAssertEqual(p(model, held[i], context), expected, accuracy: 1e-12 * max(1, expected))
                nats -= log(expected)
            }
            XCTAssertEqual(model.crossEntropy(held).nats, nats / Double(held.count - 1), accuracy: 1e-10)
        }
    }

    func testHigherOrdersPredictStructuredTextBetter() {
        let alphabet: [Int32] = Array(1...8)
        let text = structuredText(length: 20_000, alphabet: alphabet, seed: 11)
        let train = Array(text[..<18_000]), held = Array(text[18_000...])
        let bits = (1...4).map { KneserNeyModel(tokens: train, vocabularySize: 10, order: $0).crossEntropy(held).nats / log(2) }
        // The next token depends on the previous two together (one of them alone says nothing, as 7 and 3 are
        // invertible mod 8), with entropy about 1.43 bits given both: trigrams see all of it, bigrams none.
        XCTAssertLessThan(bits[0], log2(10.0))
        XCTAssertEqual(bits[1], bits[0], accuracy: 0.05)
        XCTAssertLessThan(bits[2], 1.6)
        XCTAssertEqual(bits[3], bits[2], accuracy: 0.05)
    }
}

/// The same model written the obvious way — dictionaries keyed by token arrays, every quantity recomputed from
/// the text — to check the packed tables against.
private struct ReferenceKneserNey {
    let order: Int
    let vocabularySize: Int
    /// At index k − 1: c_k by gram.
    var counts: [[[Int32]: Int]] = []
    var discounts: [Discounts] = []

    init(tokens: [Int32], vocabularySize: Int, order: Int) {
        self.order = order
        self.vocabularySize = vocabularySize
        func grams(_ length: Int) -> [[Int32]] {
            tokens.count < length ? [] : (0...(tokens.count - length)).map { Array(tokens[$0..<($0 + length)]) }
        }
        for k in 1...order {
            var c: [[Int32]: Int] = [:]
            if k == order {
                for g in grams(k) { c[g, default: 0] += 1 }
            } else {
                for xg in Set(grams(k + 1)) { c[Array(xg.dropFirst()), default: 0] += 1 }
                if tokens.count >= k { c[Array(tokens[0..<k]), default: 0] += 1 }
            }
            counts.append(c)
            let n = (1...4).map { i in c.values.filter { $0 == i }.count }
            discounts.append(Discounts(n1: n[0], n2: n[1], n3: n[2], n4: n[3]))
        }
    }

    func probability(_ w: Int32, _ context: [Int32]) -> Double {
        let used = Array(context.suffix(order - 1))
        return p(w, used)
    }

    private func p(_ w: Int32, _ h: [Int32]) -> Double {
        let lower = h.isEmpty ? 1 / Double(vocabularySize) : p(w, Array(h.dropFirst()))
        let k = h.count + 1
        let followers = counts[k - 1].filter { $0.key.count == k && Array($0.key.dropLast()) == h }
        let total = followers.values.reduce(0, +)
        guard total > 0 else { return lower }
        let d = discounts[k - 1]
        func discount(_ c: Int) -> Double { c == 1 ? d.d1 : c == 2 ? d.d2 : d.d3 }
        let gamma = followers.values.reduce(0.0) { $0 + discount($1) }
        let c = counts[k - 1][h + [w]] ?? 0
        let kept = c > 0 ? Double(c) - discount(c) : 0
        return (kept + gamma * lower) / Double(total)
    }
}
