import Foundation

/// Columns padded to their widest cell, trailing spaces trimmed; the first column left-aligned.
func printColumns(_ rows: [[String]]) {
    guard let columns = rows.map(\.count).max() else { return }
    let widths = (0..<columns).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max()! }
    for row in rows {
        let cells = row.enumerated().map { c, text in
            let pad = String(repeating: " ", count: widths[c] - text.count)
            return c == 0 ? text + pad : pad + text
        }
        print(String(cells.joined(separator: "  ").reversed().drop { $0 == " " }.reversed()))
    }
}

/// A context length, or "> K" when no length measured reaches the tolerance.
func effectiveContextText(_ k: Int?, maxDistance: Int) -> String { k.map(String.init) ?? "> \(maxDistance)" }

/// One model's context ablation and gradient reach, as tables.
func printMemoryTables(_ m: MemoryMeasurement) {
    print("\n\(m.label): \(m.checkpoint), \(m.layers) × \(m.hidden), \(m.parameters) parameters")
    print(String(format: "text: %@, %d characters; %.4f bits per character read as one stream (as eval)",
                 m.text, m.characters, m.bitsPerCharacter))
    print("\nbits per character with only the last k characters (from the zero state k characters back), "
          + "the whole stream, and the effective context (shortest k within 1% and 0.1% of the whole stream)")
    let lengths = m.subsets.first?.curve.lengths ?? []
    var rows = [["positions", "n"] + lengths.map { "k=\($0)" } + ["stream", "1%", "0.1%"]]
    for s in m.subsets {
        let name = s.name + (s.medianDistance.map { " (median \($0))" } ?? "")
        rows.append([name, "\(s.curve.positions)"] + s.curve.bits.map { String(format: "%.3f", $0) }
                    + [String(format: "%.3f", s.curve.unlimitedBits),
                       effectiveContextText(s.effectiveContext1, maxDistance: m.reach.distance),
                       effectiveContextText(s.effectiveContext01, maxDistance: m.reach.distance)])
    }
    printColumns(rows)

    let shown = reachDistances(m.reach.distance)
    print("\ngradient reach: mean ‖∂ℓ_t/∂(state k steps back)‖ over \(m.reach.positions) positions")
    rows = [["state"] + shown.map { "k=\($0)" }]
    func row(_ name: String, _ values: [Double]) -> [String] { [name] + shown.map { String(format: "%.2e", values[$0]) } }
    for (l, values) in m.reach.hidden.enumerated() { rows.append(row("h, layer \(l + 1)", values)) }
    for (l, values) in m.reach.cell.enumerated() { rows.append(row("c, layer \(l + 1)", values)) }
    rows.append(row("input x", m.reach.input))
    printColumns(rows)
}

/// The distances a reach table shows: 0, then the powers of 2 up to K, and K.
func reachDistances(_ k: Int) -> [Int] {
    let powers = Array(sequence(first: 1) { $0 * 2 }.prefix { $0 <= k })
    return [0] + powers + (powers.last == k ? [] : [k])
}

/// The models side by side: whole-stream bits, bits at a few context lengths, effective context, the top
/// layer's reach relative to k = 0, and what long context is worth at far closing marks.
func printMemorySideBySide(_ all: [MemoryMeasurement]) {
    print("\nside by side")
    printColumns(memorySideBySideRows(all))
}

/// The side-by-side table's rows (header first), shared by the terminal and the HTML page.
func memorySideBySideRows(_ all: [MemoryMeasurement]) -> [[String]] {
    let k = all.map(\.reach.distance).min() ?? 0
    let contexts = [16, 64].filter { $0 < k }
    let reaches = [16, 64, k].filter { $0 <= k }.reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }
    let far = "closing mark, opener ≥ \(MemoryRun.farMark) back"
    var rows = [["model", "bits"] + contexts.map { "bits k=\($0)" } + ["context 1%", "context 0.1%"]
                + reaches.map { "reach k=\($0)" } + ["far marks: gain beyond 16"]]
    for m in all {
        let all = m.subsets[0]
        let bitsAt = contexts.map { c in all.curve.lengths.firstIndex(of: c).map { String(format: "%.3f", all.curve.bits[$0]) } ?? "–" }
        let top = m.reach.hidden[m.reach.hidden.count - 1]
        let reach = reaches.map { d in top[0] > 0 ? String(format: "%.1e", top[d] / top[0]) : "–" }
        let marks = m.subsets.first { $0.name == far }
        let gain = marks.flatMap { s in
            s.curve.lengths.firstIndex(of: 16).map { String(format: "%.2f ± %.2f", s.curve.gains[$0], s.curve.gainStandardErrors[$0]) }
        } ?? "–"
        rows.append([m.label, String(format: "%.3f", m.bitsPerCharacter)] + bitsAt
                    + [effectiveContextText(all.effectiveContext1, maxDistance: m.reach.distance),
                       effectiveContextText(all.effectiveContext01, maxDistance: m.reach.distance)]
                    + reach + [gain])
    }
    return rows
}
