import Tokenizer
import XCTest

final class VocabularyJSONTests: XCTestCase {
    func testTokensNeedingEscapesRoundTrip() throws {
        let tokens = ["<unk>", "\"", "\\", "\n", "\r\n", "\t", "\u{1}", "/", "\u{1F469}\u{200D}\u{1F469}\u{200D}\u{1F467}",
                      "\u{E3}", "a\u{303}", "\u{2028}"]
        let vocabulary = try Vocabulary(tokens: tokens)
        let decoded = try Vocabulary(json: vocabulary.json)
        XCTAssertEqual(decoded.tokens.map(scalarValues), tokens.map(scalarValues))
        XCTAssertEqual(decoded, vocabulary)
    }

    func testJSONText() throws {
        let vocabulary = try Vocabulary(tokens: ["<unk>", "a", "\"", "\\", "\n", "\u{1F}", "\u{E3}"])
        XCTAssertEqual(vocabulary.json, #"["<unk>","a","\"","\\","\n","\u001F","ã"]"#)
    }

    func testInvalidJSONIsRefused() {
        for json in ["", "[", "{\"a\": 1}", "[1, 2]", "[\"<unk>\", null]", "\"<unk>\""] {
            XCTAssertThrowsError(try Vocabulary(json: json), json) { error in
                guard case .invalidJSON = error as? VocabularyError else {
                    return XCTFail("\(json): \(error)")
                }
            }
        }
    }

    func testValidJSONOfAnInvalidVocabularyIsRefused() {
        XCTAssertThrowsError(try Vocabulary(json: #"["<unk>", "a", "a"]"#)) { error in
            XCTAssertEqual(error as? VocabularyError, .duplicateToken("a", firstIndex: 1, index: 2))
        }
        XCTAssertThrowsError(try Vocabulary(json: "[]")) { error in
            XCTAssertEqual(error as? VocabularyError, .missingUnknown(found: nil))
        }
    }
}
