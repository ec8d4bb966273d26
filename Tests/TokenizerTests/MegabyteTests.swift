import Tokenizer
import XCTest

/// A megabyte of text tokenises as its parts do: the whole pipeline (decode, normalise, segment, count, encode)
/// is linear in the text, with no state that drifts over a long input. (Speed is measured by
/// `nlp-vanish tokenize`, not asserted here.)
final class MegabyteTests: XCTestCase {
    private static let paragraph = """
        A manhã chegou devagar sobre a cidade. Na padaria da esquina, o pão ainda estava quente e a \
        conversa girava em torno da eleição, da chuva que não vinha e do preço do café. “Você já viu \
        isso?”, perguntou a senhora de avental, apontando para o jornal. Ninguém respondeu: lá fora, \
        as crianças corriam atrás de um cão, e a atenção de todos se perdeu na confusão.\n
        """
    private static let copies = 1_000_000 / paragraph.utf8.count + 1

    func testAMegabyteTokenisesAsItsParagraphs() throws {
        let bytes = Array(String(repeating: Self.paragraph, count: Self.copies).utf8)
        let text = try decodeText(bytes, encoding: .utf8, source: "sample")
        XCTAssertEqual(text.utf8.count, bytes.count)
        for options in [TokenizerOptions(), .init(normalization: .none), .init(caseFold: true, stripAccents: true)] {
            let tokenizer = Tokenizer(options: options)
            let one = tokenizer.graphemes(Self.paragraph)
            let tokens = tokenizer.graphemes(text)
            XCTAssertEqual(tokens.count, one.count * Self.copies, "\(options)")
            XCTAssertEqual(Array(tokens.prefix(one.count)), one, "\(options)")
            XCTAssertEqual(Array(tokens.suffix(one.count)), one, "\(options)")
            let vocabulary = Vocabulary(building: tokens)
            XCTAssertEqual(vocabulary, Vocabulary(building: one), "\(options)")
            let encoded = vocabulary.encode(tokens)
            XCTAssertEqual(encoded.unknownCount, 0)
            XCTAssertEqual(vocabulary.decode(Array(encoded.ids.prefix(one.count))), one.joined())
            let statistics = TextStatistics(texts: [text], tokenizer: tokenizer)
            XCTAssertEqual(statistics.bytes, bytes.count)
            XCTAssertEqual(statistics.graphemes, tokens.count)
            XCTAssertEqual(statistics.vocabularySize, Set(one).count)
        }
    }
}
