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

/// The first line of a fresh run's `log.jsonl`: what is trained on, and the count model to beat on the same split.
struct LogHeader: Encodable {
    var trainTokens: Int
    var validationTokens: Int
    var vocabulary: Int
    var parameters: Int
    /// The direct connections' table size (0 without them); not in `parameters`.
    var directWeights: Int
    /// The interpolated Kneser-Ney n-gram of `nlp-vanish baseline` (order and validation bits per character).
    var baselineOrder: Int
    var baselineValBpc: Double
}

/// An append-only JSON-lines file: each record is one `write` of a whole line, so a reader (or a crash) never
/// sees half a record, and a write error (a full disk) stops the program with the file named.
final class LogFile {
    let path: String
    private let descriptor: Int32

    init(path: String, append: Bool) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | (append ? 0 : O_TRUNC), 0o644)
        guard descriptor >= 0 else { throw UsageFailure("cannot open \(path): \(String(cString: strerror(errno)))") }
    }

    deinit { close(descriptor) }

    func append<T: Encodable>(_ record: T) throws {
        let bytes = Array((try JSON.encode(record) + "\n").utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw UsageFailure("cannot write \(path): \(written < 0 ? String(cString: strerror(errno)) : "short write")")
        }
    }
}
