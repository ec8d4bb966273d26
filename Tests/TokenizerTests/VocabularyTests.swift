import Tokenizer
import XCTest

final class VocabularyTests: XCTestCase {
    func testOrderIsByFrequencyThenScalarValue() {
        let vocabulary = Vocabulary(building: ["b", "a", "c", "a", "b", "\u{E3}", "d", "a"])
        XCTAssertEqual(vocabulary.tokens, ["<unk>", "a", "b", "c", "d", "\u{E3}"])
        XCTAssertEqual(vocabulary.count, 6)
    }

    func testOrderDoesNotDependOnInputOrder() {
        let tokens = Tokenizer().graphemes("Não há ação sem razão, disse ela à mãe.")
        XCTAssertEqual(Vocabulary(building: tokens), Vocabulary(building: tokens.reversed()))
        XCTAssertEqual(Vocabulary(building: tokens), Vocabulary(building: tokens.shuffled()))
    }

    func testMinimumFrequency() {
        let vocabulary = Vocabulary(building: ["a", "a", "a", "b", "b", "c"], minFrequency: 2)
        XCTAssertEqual(vocabulary.tokens, ["<unk>", "a", "b"])
        XCTAssertNil(vocabulary.id("c"))
    }

    func testReservedTokensComeRightAfterUnknown() {
        let vocabulary = Vocabulary(building: ["a", "x", "a"], reserved: ["\n", "x", "", "\n", "<unk>"])
        XCTAssertEqual(vocabulary.tokens, ["<unk>", "\n", "x", "a"])
        XCTAssertEqual(vocabulary.id("x"), 2)
        XCTAssertEqual(vocabulary.id("<unk>"), 0)
    }

    func testCanonicallyEquivalentTokensStayDistinct() {
        let vocabulary = Vocabulary(building: ["\u{E3}", "a\u{303}", "a\u{303}"])
        XCTAssertEqual(vocabulary.count, 3)
        XCTAssertEqual(vocabulary.id("a\u{303}"), 1)
        XCTAssertEqual(vocabulary.id("\u{E3}"), 2)
        XCTAssertNoThrow(try Vocabulary(tokens: ["<unk>", "\u{E3}", "a\u{303}"]))
        XCTAssertNotEqual(try Vocabulary(tokens: ["<unk>", "\u{E3}"]), try Vocabulary(tokens: ["<unk>", "a\u{303}"]))
    }

    func testEncodeCountsUnknownTokens() {
        let vocabulary = Vocabulary(building: ["a", "b"])
        let encoded = vocabulary.encode(["a", "z", "b", "\u{1F1E7}\u{1F1F7}", "z"])
        XCTAssertEqual(encoded.ids, [1, 0, 2, 0, 0])
        XCTAssertEqual(encoded.unknownCount, 3)
        XCTAssertEqual(encoded.unknownTokens, ["z", "\u{1F1E7}\u{1F1F7}"])
    }

    func testEncodeDecodeRoundTrip() {
        let tokenizer = Tokenizer(options: .init(normalization: .none))
        let text = "Olá, pa\u{303}o e p\u{E3}o!\r\n👩‍👩‍👧 \u{1F1E7}\u{1F1F7}\u{1F1F5}\u{1F1F9}"
        let tokens = tokenizer.graphemes(text)
        let vocabulary = Vocabulary(building: tokens)
        let encoded = vocabulary.encode(tokens)
        XCTAssertEqual(encoded.unknownCount, 0)
        XCTAssertEqual(scalarValues(vocabulary.decode(encoded.ids)), scalarValues(text))
    }

    func testDecodeOfOutOfRangeIdsGivesUnknown() {
        let vocabulary = Vocabulary(building: ["a"])
        XCTAssertEqual(vocabulary.decode([1, 2, -1, Int32.max, 0, 1]), "a<unk><unk><unk><unk>a")
        XCTAssertEqual(vocabulary.decode([]), "")
    }

    func testExplicitTokensAreValidated() {
        XCTAssertEqual(try Vocabulary(tokens: ["<unk>", "a"]).tokens, ["<unk>", "a"])
        XCTAssertThrowsError(try Vocabulary(tokens: [])) { error in
            XCTAssertEqual(error as? VocabularyError, .missingUnknown(found: nil))
        }
        XCTAssertThrowsError(try Vocabulary(tokens: ["a", "<unk>"])) { error in
            XCTAssertEqual(error as? VocabularyError, .missingUnknown(found: "a"))
            XCTAssertEqual("\(error)", "vocabulary starts with \"a\"; it must start with \"<unk>\"")
        }
        XCTAssertThrowsError(try Vocabulary(tokens: ["<unk>", "a", ""])) { error in
            XCTAssertEqual(error as? VocabularyError, .emptyToken(index: 2))
        }
        XCTAssertThrowsError(try Vocabulary(tokens: ["<unk>", "\n", "a", "\n"])) { error in
            XCTAssertEqual(error as? VocabularyError, .duplicateToken("\n", firstIndex: 1, index: 3))
            XCTAssertEqual("\(error)", "vocabulary token 3 repeats token 1, \"\\n\"")
        }
    }
}
