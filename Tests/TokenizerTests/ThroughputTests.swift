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
        let megabytes = Double(bytes.count) / 1_000_000
        let clock = ContinuousClock()
        var text = ""
        let decoding = try clock.measure { text = try decodeText(bytes, encoding: .utf8, source: "sample") }
        for options in [TokenizerOptions(), .init(normalization: .none), .init(caseFold: true, stripAccents: true)] {
            let tokenizer = Tokenizer(options: options)
            var tokens: [String] = []
            let tokenizing = clock.measure { tokens = tokenizer.graphemes(text) }
            var vocabulary = Vocabulary(building: [])
            let building = clock.measure { vocabulary = Vocabulary(building: tokens) }
            var ids: [Int32] = []
            let encoding = clock.measure { ids = vocabulary.encode(tokens).ids }
            let statistics = clock.measure { _ = TextStatistics(texts: [text], tokenizer: tokenizer) }
            print("""
                Throughput on \(bytes.count) bytes, \(options.metadata.sorted { $0.key < $1.key }): \
                decode \(rate(megabytes, decoding)), graphemes \(rate(megabytes, tokenizing)), \
                vocabulary \(rate(megabytes, building)), encode \(rate(megabytes, encoding)), \
                statistics \(rate(megabytes, statistics)); \(tokens.count) tokens, \(vocabulary.count) distinct
                """)
            XCTAssertEqual(ids.count, tokens.count)
        }
    }

    private func rate(_ megabytes: Double, _ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        return "\(Int(megabytes / seconds)) MB/s"
    }
}
