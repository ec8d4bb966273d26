import Tokenizer
import XCTest

/// Prints rather than asserts: timings on a shared two-core machine vary too much for a threshold.
final class ThroughputTests: XCTestCase {
    /// About 1 MB of Portuguese, with the accents and punctuation of real prose.
    private static let portuguese: [UInt8] = {
        let paragraph = """
            A manhã chegou devagar sobre a cidade. Na padaria da esquina, o pão ainda estava quente e a \
            conversa girava em torno da eleição, da chuva que não vinha e do preço do café. “Você já viu \
            isso?”, perguntou a senhora de avental, apontando para o jornal. Ninguém respondeu: lá fora, \
            as crianças corriam atrás de um cão, e a atenção de todos se perdeu na confusão.\n
            """
        let copies = 1_000_000 / paragraph.utf8.count + 1
        return Array(String(repeating: paragraph, count: copies).utf8)
    }()

    func testTokenizingAMegabyteOfPortuguese() throws {
        let bytes = Self.portuguese
        let text = try decodeText(bytes, encoding: .utf8, source: "sample")
        var report = ["decode \(rate(bytes.count) { _ = try? decodeText(bytes, encoding: .utf8, source: "sample") })"]
        for options in [TokenizerOptions(), .init(normalization: .none), .init(caseFold: true, stripAccents: true)] {
            let tokenizer = Tokenizer(options: options)
            let tokens = tokenizer.graphemes(text)
            let vocabulary = Vocabulary(building: tokens)
            XCTAssertEqual(vocabulary.encode(tokens).ids.count, tokens.count)
            let name = "\(options.normalization)\(options.caseFold ? "+caseFold" : "")\(options.stripAccents ? "+stripAccents" : "")"
            report.append("""
                \(name): graphemes \(rate(bytes.count) { _ = tokenizer.graphemes(text) }), \
                vocabulary \(rate(bytes.count) { _ = Vocabulary(building: tokens) }), \
                encode \(rate(bytes.count) { _ = vocabulary.encode(tokens) }), \
                statistics \(rate(bytes.count) { _ = TextStatistics(texts: [text], tokenizer: tokenizer) })
                """)
        }
        print("Throughput on \(bytes.count) bytes of Portuguese, best of 3 runs:\n  " + report.joined(separator: "\n  "))
    }

    /// MB/s of the fastest of three runs of `work` over `byteCount` bytes: the slower ones measure the
    /// other processes sharing the machine.
    private func rate(_ byteCount: Int, _ work: () -> Void) -> String {
        let clock = ContinuousClock()
        let fastest = (0..<3).map { _ in clock.measure(work) }.min() ?? .zero
        let seconds = Double(fastest.components.seconds) + Double(fastest.components.attoseconds) * 1e-18
        return "\(Int((Double(byteCount) / 1e6 / seconds).rounded())) MB/s"
    }
}
