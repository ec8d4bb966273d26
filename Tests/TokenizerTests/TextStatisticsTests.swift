import Tokenizer
import XCTest

final class TextStatisticsTests: XCTestCase {
    func testCounts() {
        // "Não, não!" with the first ã decomposed.
        let text = "Na\u{303}o, n\u{E3}o!"
        let statistics = TextStatistics(texts: [text, "ok"], tokenizer: Tokenizer())
        XCTAssertEqual(statistics.bytes, text.utf8.count + 2)
        XCTAssertEqual(statistics.scalars, 9 + 2)
        XCTAssertEqual(statistics.graphemes, 9 + 2)
        XCTAssertEqual(statistics.vocabularySize, 8)  // N ã o , space n ! k
        XCTAssertEqual(statistics.normalizationChanges, 1)
        XCTAssertEqual(statistics.unknown, 0)
        XCTAssertEqual(statistics.top.prefix(3).map(\.token), ["o", "\u{E3}", " "])
        XCTAssertEqual(statistics.top.prefix(3).map(\.count), [3, 2, 1])
    }

    func testTopIsLimitedToTwentyInScalarOrder() {
        let letters = (0..<26).compactMap { Unicode.Scalar(0x61 + $0).map(String.init) }
        let statistics = TextStatistics(texts: [letters.reversed().joined()], tokenizer: Tokenizer())
        XCTAssertEqual(statistics.top.map(\.token), Array(letters.prefix(20)))
    }

    func testUnknownTokensAgainstAVocabulary() {
        let vocabulary = Vocabulary(building: ["a", "b"])
        let statistics = TextStatistics(texts: ["abcab\u{E3}"], tokenizer: Tokenizer(), vocabulary: vocabulary)
        XCTAssertEqual(statistics.unknown, 2)
    }

    func testNormalizationChangesFollowTheOptions() {
        let text = "Ac\u{327}a\u{303}o \u{FB01}m"
        XCTAssertEqual(TextStatistics(texts: [text], tokenizer: Tokenizer()).normalizationChanges, 2)
        let none = Tokenizer(options: .init(normalization: .none))
        XCTAssertEqual(TextStatistics(texts: [text], tokenizer: none).normalizationChanges, 0)
        let nfkc = Tokenizer(options: .init(normalization: .nfkc, caseFold: true))
        XCTAssertEqual(TextStatistics(texts: [text], tokenizer: nfkc).normalizationChanges, 4)
    }
}
