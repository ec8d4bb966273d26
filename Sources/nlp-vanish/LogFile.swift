import Foundation

/// One line of `log.jsonl`.
struct LogRecord: Encodable {
    var step: Int
    var trainLoss: Double
    var valLoss: Double?
    var valBpc: Double?
    var gradNorm: Double
    var clipEvents: Int
    var lr: Float
    var charsPerS: Double

    init(step: Int, trainLoss: Double, gradNorm: Double, clipEvents: Int, lr: Float, charsPerS: Double) {
        self.step = step
        self.trainLoss = trainLoss
        self.gradNorm = gradNorm
        self.clipEvents = clipEvents
        self.lr = lr
        self.charsPerS = charsPerS
    }

    /// Every key is always present (null when not measured at this step), so readers need no special cases.
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(step, forKey: .step)
        try c.encode(trainLoss, forKey: .trainLoss)
        try c.encode(valLoss, forKey: .valLoss)
        try c.encode(valBpc, forKey: .valBpc)
        try c.encode(gradNorm, forKey: .gradNorm)
        try c.encode(clipEvents, forKey: .clipEvents)
        try c.encode(lr, forKey: .lr)
        try c.encode(charsPerS, forKey: .charsPerS)
    }

    enum CodingKeys: String, CodingKey { case step, trainLoss, valLoss, valBpc, gradNorm, clipEvents, lr, charsPerS }
}

/// An append-only JSON-lines file; each record is written whole with one write call.
final class LogFile {
    private let handle: FileHandle
    let path: String

    init(path: String, append: Bool) throws {
        self.path = path
        if !append || !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw UsageFailure("cannot create \(path)")
            }
        }
        guard let h = FileHandle(forWritingAtPath: path) else { throw UsageFailure("cannot open \(path) for writing") }
        handle = h
        handle.seekToEndOfFile()
    }

    func append<T: Encodable>(_ record: T) throws {
        let line = try JSON.encode(record) + "\n"
        do { try handle.write(contentsOf: Data(line.utf8)) } catch {
            throw UsageFailure("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
