import Foundation

/// A token n-gram language model with interpolated modified Kneser-Ney smoothing (Chen & Goodman 1998).
///
/// ## The estimate
/// For order N, a token w and its context h (the up to N − 1 tokens before it), with h′ the context h without
/// its first (oldest) token:
///
///     P_k(w | h) = ( max(c_k(hw) − D_k(c_k(hw)), 0)  +  γ_k(h) · P_{k−1}(w | h′) ) / Σ_v c_k(hv)
///     γ_k(h)     = D_k1 · N1(h) + D_k2 · N2(h) + D_k3+ · N3+(h)
///     P_0(w)     = 1 / V                                (uniform over the whole vocabulary)
///
/// where k = |h| + 1 is the order, Nᵢ(h) is the number of distinct tokens v with c_k(hv) = i (N3+: ≥ 3), and
/// D_k are that order's three discounts (`Discounts`, estimated from its count-of-counts). When h was never seen
/// followed by anything (Σ_v c_k(hv) = 0), P_k(w | h) = P_{k−1}(w | h′). Summed over the vocabulary the first
/// term gives Σ c − γ and the second γ, so every P_k(· | h) sums to 1.
///
/// ## The counts
/// - At the highest order N, c_N(g) is the number of times the N-gram g occurs in the training stream.
/// - Below it (k < N), c_k(g) is the continuation count: the number of distinct tokens x that precede g somewhere
///   in the stream (the number of distinct (k+1)-grams xg), plus one if g opens the stream, where the start plays
///   the part of one more distinct neighbour. A gram that follows many different tokens is a likely continuation
///   of an unseen context; one that only ever follows the same token is not, however often it occurs.
///
/// ## Contexts
/// `probability(of:after:)` uses the last N − 1 tokens of the given context, or all of it when shorter: at the
/// start of a stream, with j < N − 1 tokens before it, a token is predicted by the order-(j + 1) estimate.
///
/// Counts live in hash tables keyed by packed token ids (`GramPacking`), one table per gram length, so building
/// costs one pass over the N-grams of the text plus one pass over the distinct grams of each order.
public struct KneserNeyModel: Sendable {
    /// N: the longest gram counted, so contexts are up to N − 1 tokens.
    public let order: Int
    /// V: token ids are 0..<V; the uniform floor is 1 / V.
    public let vocabularySize: Int
    /// The discounts of orders 1…N, at index k − 1.
    public let discounts: [Discounts]

    private let packing: GramPacking
    /// At index m: the distinct grams of length m with their count c_m (raw at m = N, continuation below);
    /// index 0 holds the empty gram alone.
    private let grams: [GramTable]
    /// At index m < N: each length-m gram's statistics as the context of order m + 1 (entry for entry with
    /// `grams[m]`).
    private let contexts: [[ContextStatistics]]

    /// What P_{m+1}(· | h) needs of a context h: Σ_v c(hv) and how many v have c(hv) = 1, 2 and ≥ 3.
    struct ContextStatistics: Sendable {
        var total: Int32 = 0
        var n1: Int32 = 0
        var n2: Int32 = 0
        var n3: Int32 = 0
    }

    /// Counts every gram of `tokens` (one stream) up to length `order` and estimates the discounts.
    /// Every id must lie in 0..<`vocabularySize`.
    public init(tokens: [Int32], vocabularySize: Int, order: Int) {
        precondition(order >= 1, "the order must be at least 1")
        precondition(tokens.count < Int(Int32.max), "counts are 32-bit")
        precondition(tokens.allSatisfy { $0 >= 0 && Int($0) < vocabularySize },
                     "every token id must lie in 0..<vocabularySize")
        self.order = order
        self.vocabularySize = vocabularySize
        let packing = GramPacking(vocabularySize: vocabularySize)
        self.packing = packing
        let n = tokens.count
        let widest = packing.words(forLength: order + 1)

        var grams = [GramTable](repeating: GramTable(width: 1), count: order + 1)
        var contexts = [[ContextStatistics]](repeating: [], count: order)
        var discounts = [Discounts]()
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 * widest) { scratch in
            let key = scratch.baseAddress!, other = key + widest
            tokens.withUnsafeBufferPointer { text in
                // c_N: every N-gram occurrence.
                var top = GramTable(width: packing.words(forLength: order), expectedEntries: min(n, 1 << 20))
                if n >= order {
                    for start in 0...(n - order) {
                        packing.pack(text, start: start, length: order, into: key)
                        top.add(key, 1)
                    }
                }
                grams[order] = top

                // c_m for m = N − 1 … 1: one per distinct (m+1)-gram xg, credited to g (position m, the oldest
                // token x, cleared), and one more for the gram that opens the stream.
                if order > 1 {
                    for m in stride(from: order - 1, through: 1, by: -1) {
                        let upper = grams[m + 1]
                        var table = GramTable(width: packing.words(forLength: m), expectedEntries: upper.count)
                        for e in 0..<upper.count {
                            upper.withKey(e) { key.update(from: $0, count: upper.width) }
                            packing.clear(m, in: key)
                            table.add(key, 1)
                        }
                        if n >= m {
                            packing.pack(text, start: 0, length: m, into: key)
                            table.add(key, 1)
                        }
                        grams[m] = table
                    }
                }
                var empty = GramTable(width: 1)
                key[0] = 0
                empty.add(key, 0)
                grams[0] = empty
            }

            // Discounts from each order's count-of-counts, and each context's Σ c and N1/N2/N3+.
            for k in 1...order {
                let table = grams[k], below = grams[k - 1]
                var stats = [ContextStatistics](repeating: ContextStatistics(), count: below.count)
                var countOfCounts = [0, 0, 0, 0, 0]
                for e in 0..<table.count {
                    let c = table.counts[e]
                    if c <= 4 { countOfCounts[Int(c)] += 1 }
                    table.withKey(e) { packing.dropLast($0, width: table.width, into: other) }
                    guard let h = below.find(other) else {
                        preconditionFailure("the context of a counted gram is always counted one length below")
                    }
                    stats[h].total += c
                    switch c {
                    case 1: stats[h].n1 += 1
                    case 2: stats[h].n2 += 1
                    default: stats[h].n3 += 1
                    }
                }
                contexts[k - 1] = stats
                discounts.append(Discounts(n1: countOfCounts[1], n2: countOfCounts[2], n3: countOfCounts[3],
                                           n4: countOfCounts[4]))
            }
        }
        self.grams = grams
        self.contexts = contexts
        self.discounts = discounts
    }

    /// Distinct grams of length `length` (1…N) the model holds.
    public func distinctGrams(ofLength length: Int) -> Int { grams[length].count }

    /// P(token | context): the order-(j + 1) estimate, j = min(|context|, N − 1), built on the last j context
    /// tokens. Always > 0 and, summed over the vocabulary, 1 (see the type's documentation).
    public func probability(of token: Int32, after context: ArraySlice<Int32>) -> Double {
        precondition(token >= 0 && Int(token) < vocabularySize, "token id \(token) is outside 0..<\(vocabularySize)")
        let used = min(context.count, order - 1)
        let widest = packing.words(forLength: order)
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 * widest) { scratch in
            // gramKey: the key of h·w for the current order; contextKey: the key of h. Each order adds one older
            // context token at the next position of both.
            let gramKey = scratch.baseAddress!, contextKey = gramKey + widest
            gramKey.update(repeating: 0, count: 2 * widest)
            packing.set(token, at: 0, in: gramKey)
            var p = 1 / Double(vocabularySize)
            for k in 1...(used + 1) {
                // A context never followed by anything at order k is not followed by anything at any higher order
                // either (a longer context's followers are followers of its suffix), so the estimate stops here.
                guard let h = grams[k - 1].find(contextKey) else { break }
                let s = contexts[k - 1][h]
                guard s.total > 0 else { break }
                let d = discounts[k - 1]
                var kept = 0.0
                if let e = grams[k].find(gramKey) {
                    let c = grams[k].counts[e]
                    kept = max(Double(c) - d(c), 0)
                }
                let gamma = d.d1 * Double(s.n1) + d.d2 * Double(s.n2) + d.d3 * Double(s.n3)
                p = (kept + gamma * p) / Double(s.total)
                if k <= used {
                    let older = context[context.endIndex - k]
                    precondition(older >= 0 && Int(older) < vocabularySize,
                                 "context id \(older) is outside 0..<\(vocabularySize)")
                    packing.set(older, at: k - 1, in: contextKey)
                    packing.set(older, at: k, in: gramKey)
                }
            }
            return p
        }
    }

    /// Mean cross-entropy in nats of `tokens` read as one stream: every token after the first is scored given the
    /// up to N − 1 tokens before it in the stream (fewer at its start), the positions `evaluateStream` scores for
    /// the recurrent model. `scored` is tokens.count − 1, or 0 (and nats 0) for fewer than two tokens.
    public func crossEntropy(_ tokens: [Int32]) -> (nats: Double, scored: Int) {
        guard tokens.count >= 2 else { return (0, 0) }
        var total = 0.0
        for i in 1..<tokens.count {
            total -= Foundation.log(probability(of: tokens[i], after: tokens[max(0, i - order + 1)..<i]))
        }
        return (total / Double(tokens.count - 1), tokens.count - 1)
    }
}
