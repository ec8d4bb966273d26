import Foundation
import SeqTraining

/// The output folder of `memory`: memory.json (everything measured), context.csv, reach.csv and memory.html,
/// each written atomically; an earlier measurement is replaced only with --force.
enum MemoryFiles {
    static let names = ["memory.json", "context.csv", "reach.csv", "memory.html"]

    /// Before anything is measured: creates `out`, checks that it is writable, and refuses a folder that already
    /// holds a measurement (unless `force`).
    static func prepare(_ out: String, force: Bool) throws {
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            throw UsageFailure("cannot create the output folder \(out): \(error.localizedDescription)")
        }
        guard access(out, W_OK) == 0 else { throw UsageFailure("the output folder \(out) is not writable") }
        let earlier = names.filter { FileManager.default.fileExists(atPath: out + "/" + $0) }
        guard !earlier.isEmpty, !force else { return }
        throw UsageFailure("\(out) already holds \(earlier.joined(separator: ", ")) from an earlier measurement; "
                           + "give another --out, or --force to replace them")
    }

    /// Writes the four files into `out` (made ready by `prepare`), each atomically.
    static func write(_ all: [MemoryMeasurement], to out: String) throws {
        let files = [
            ("memory.json", try JSON.encode(all, pretty: true) + "\n"),
            ("context.csv", contextCSV(all)),
            ("reach.csv", reachCSV(all)),
            ("memory.html", renderMemoryReport(all)),
        ]
        for (name, text) in files {
            do {
                try AtomicFile.write(Array(text.utf8), to: out + "/" + name)
            } catch {
                throw UsageFailure("\(error)")
            }
        }
    }

    /// One row per model, subset and context length k (k empty for the whole stream).
    static func contextCSV(_ all: [MemoryMeasurement]) -> String {
        var lines = ["model,checkpoint,subset,positions,k,bits_per_char"]
        for m in all {
            for s in m.subsets {
                let prefix = "\(csvField(m.label)),\(csvField(m.checkpoint)),\(csvField(s.name)),\(s.curve.positions)"
                for (k, bits) in zip(s.curve.lengths, s.curve.bits) { lines.append("\(prefix),\(k),\(bits)") }
                lines.append("\(prefix),,\(s.curve.unlimitedBits)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One row per model, state (h or c of a layer, or the input x) and distance k.
    static func reachCSV(_ all: [MemoryMeasurement]) -> String {
        var lines = ["model,checkpoint,state,layer,k,mean_grad_norm"]
        for m in all {
            let prefix = "\(csvField(m.label)),\(csvField(m.checkpoint))"
            let blocks = m.reach.hidden.enumerated().map { ("h", $0 + 1, $1) }
                + m.reach.cell.enumerated().map { ("c", $0 + 1, $1) } + [("x", 0, m.reach.input)]
            for (state, layer, values) in blocks {
                for (k, v) in values.enumerated() { lines.append("\(prefix),\(state),\(layer),\(k),\(v)") }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
