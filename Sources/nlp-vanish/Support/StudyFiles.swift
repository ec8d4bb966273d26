import ArgumentParser
import Foundation
import SeqTraining
import SeqStudy

/// A study's output folder: `results.jsonl` is the record (one finished run per line, appended as runs finish,
/// so an interrupted study loses only runs in flight and a resumed one skips what is there); the CSV files,
/// `summary.json` and `report.html` are views of it, rewritten whole (atomically) whenever it grows.
struct StudyFolder {
    let path: String
    /// Held while this process writes here (a study, the main job, a merge): a second writer is refused.
    private let lock: FolderLock?

    /// A folder to read only (a shard that `report` merges): no lock, nothing created or repaired.
    init(reading path: String) {
        self.path = path
        lock = nil
    }

    init(path: String) throws {
        self.path = path
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw UsageFailure("cannot create the output folder \(path): \(error.localizedDescription)")
        }
        guard access(path, W_OK) == 0 else { throw UsageFailure("the output folder \(path) is not writable") }
        lock = try FolderLock(folder: path)
        try dropTornLastLine(of: path + "/results.jsonl")
    }

    var resultsPath: String { path + "/results.jsonl" }

    /// Finished runs recorded so far. A torn last line (a writer killed mid-append) is skipped with a warning; a
    /// writer cuts it off when it opens the folder.
    func readResults() throws -> [RunResult] {
        guard var data = FileManager.default.contents(atPath: resultsPath) else { return [] }
        let complete = completeLinesLength(data)
        if complete < data.count {
            printError("warning: \(resultsPath): skipping an incomplete last line (an interrupted write)")
            data = data.prefix(complete)
        }
        let decoder = JSON.decoder
        var out = [RunResult]()
        for (i, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() {
            do {
                out.append(try decoder.decode(RunResult.self, from: Data(line)))
            } catch {
                throw UsageFailure("\(resultsPath): line \(i + 1) is not a run record (\(error)); move the file aside "
                                   + "to start the study afresh")
            }
        }
        return out
    }

    func append(_ result: RunResult) throws {
        let line = try JSON.encode(result) + "\n"
        let fd = open(resultsPath, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { throw UsageFailure("cannot write \(resultsPath): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array(line.utf8)
        guard bytes.withUnsafeBytes({ Foundation.write(fd, $0.baseAddress, $0.count) }) == bytes.count, fsync(fd) == 0 else {
            throw UsageFailure("cannot write \(resultsPath): \(String(cString: strerror(errno)))")
        }
    }

    /// Records the settings every run here shares (study.json) on the first study into the folder, and refuses
    /// (exit 2) a later one whose settings differ: its rows would sit beside others computed another way. The grid
    /// (distances, variants, depths, seeds) may grow; everything else must match.
    func keepSettings(_ settings: [String: SettingValue]) throws {
        let file = path + "/study.json"
        if let data = FileManager.default.contents(atPath: file) {
            let kept = try JSON.decoder.decode([String: SettingValue].self, from: data)
            let differences = Set(kept.keys).union(settings.keys).sorted().filter {
                guard let a = kept[$0], let b = settings[$0] else { return true }
                return !a.matches(b)
            }
            guard differences.isEmpty else {
                let listed = differences.map { "\($0) = \(kept[$0]?.description ?? "unset") there, "
                                                + "\(settings[$0]?.description ?? "unset") here" }
                printError("nlp-vanish: \(path) holds a study run with other settings (\(listed.joined(separator: "; "))); "
                           + "use another --out, or the same settings (distances, variants, depths and seeds may grow)")
                throw ExitCode(ExitStatus.usage)
            }
            return
        }
        try write("study.json", JSON.encode(settings, pretty: true) + "\n")
    }

    /// Writes `results` as the whole record (merged reports), atomically.
    func replaceResults(_ results: [RunResult]) throws {
        try write("results.jsonl", try results.map { try JSON.encode($0) + "\n" }.joined())
    }

    /// Rewrites runs.csv, curves.csv, gradients.csv, summary.json and report.html from `results`.
    func writeViews(_ results: [RunResult], summary: StudySummary) throws {
        try write("runs.csv", StudyCSV.runs(results))
        try write("curves.csv", StudyCSV.curves(results))
        try write("gradients.csv", StudyCSV.gradients(results))
        try write("summary.json", JSON.encode(SummaryFile(summary: summary), pretty: true) + "\n")
        try write("report.html", renderStudyReport(results: results, summary: summary))
    }

    private func write(_ name: String, _ text: String) throws {
        do {
            try AtomicFile.write(Array(text.utf8), to: path + "/" + name)
        } catch {
            throw UsageFailure("\(error)")
        }
    }
}

/// The CSV views of a study's results.
enum StudyCSV {
    static let runColumns = "run_id,task,cell,activation,init,layers,hidden,distance,seed,lr,steps,solved,steps_to_solve,"
        + "test_accuracy,test_loss,chance,grad_ratio_init,grad_ratio_final,sigma_max_final,dead_fraction,"
        + "saturated_fraction,memory_gate_high,memory_gate_low,clip_events,diverged,seconds"

    static func runs(_ results: [RunResult]) -> String {
        var out = runColumns + "\n"
        for r in results {
            let fields: [String] = [
                r.id, r.task.rawValue, r.cellName, r.activation, r.initialization, "\(r.layers)", "\(r.hidden)", "\(r.distance)", "\(r.seed)",
                number(r.learningRate), "\(r.steps)", "\(r.solved)", r.stepsToSolve.map(String.init) ?? "",
                r.testAccuracy.map(number) ?? "", number(r.testLoss), number(r.chance),
                r.gradRatioInit.map(number) ?? "", r.gradRatioFinal.map(number) ?? "",
                r.sigmaMaxFinal.map(number).joined(separator: ";"), number(r.deadFraction),
                number(r.saturatedFraction), r.memoryGateHigh.map(number) ?? "", r.memoryGateLow.map(number) ?? "",
                "\(r.clipEvents)", "\(r.diverged)", String(format: "%.2f", r.seconds),
            ]
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    static func curves(_ results: [RunResult]) -> String {
        // memory_gate_high/low: the LSTM's forget or the GRU's update gates above 0.97 / below 0.03; empty otherwise.
        var out = "run_id,step,test_loss,test_accuracy,memory_gate_high,memory_gate_low\n"
        for r in results {
            for p in r.curve {
                out += "\(r.id),\(p.step),\(number(p.loss)),\(p.accuracy.map(number) ?? ""),"
                    + "\(p.memoryGateHigh.map(number) ?? ""),\(p.memoryGateLow.map(number) ?? "")\n"
            }
        }
        return out
    }

    static func gradients(_ results: [RunResult]) -> String {
        // quantity: h for ‖∂L/∂h_{T−k}‖, c for the LSTM's ‖∂L/∂c_{T−k}‖.
        var out = "run_id,layer,k,phase,quantity,norm\n"
        for r in results {
            for p in r.profiles {
                let quantity = p.quantity ?? "h"
                for (k, norm) in p.norms.enumerated() {
                    out += "\(r.id),\(p.layer),\(k),\(p.phase),\(quantity),\(number(norm))\n"
                }
            }
        }
        return out
    }

    /// Full precision, shortest form; NaN and infinities as words a spreadsheet keeps.
    static func number(_ x: Double) -> String {
        x.isNaN ? "nan" : x.isInfinite ? (x > 0 ? "inf" : "-inf") : "\(x)"
    }
}
