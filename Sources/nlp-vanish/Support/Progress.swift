import Foundation

/// Progress over a known number of units: on a terminal one line redrawn in place (count, rate, ETA and the
/// caller's text); elsewhere (a log file, CI) a plain line every `plainEvery` units.
final class Progress: @unchecked Sendable {   // updated from one thread at a time
    private let total: Int
    private let label: String
    private let start = Date()
    private let live = standardErrorIsTerminal
    private let plainEvery: Int
    private var lastDraw = Date.distantPast

    init(total: Int, label: String, plainEvery: Int? = nil) {
        self.total = total
        self.label = label
        self.plainEvery = plainEvery ?? max(1, total / 20)
    }

    func update(_ done: Int, text: String) {
        let now = Date()
        let elapsed = now.timeIntervalSince(start)
        let eta = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        let line = "\(label) \(done)/\(total)  \(text)  ETA \(Progress.duration(eta))"
        if live {
            guard now.timeIntervalSince(lastDraw) > 0.1 || done == total else { return }
            lastDraw = now
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        } else if done % plainEvery == 0 || done == total {
            printError(line)
        }
    }

    /// Prints a full line without breaking the live line.
    func interject(_ line: String) {
        if live { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        printError(line)
    }

    func finish() {
        if live { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "–" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
