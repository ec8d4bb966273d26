import Tokenizer
import XCTest

final class GraphemeTests: XCTestCase {
    private let nfc = Tokenizer()
    private let none = Tokenizer(options: .init(normalization: .none))

    func testEmojiZWJSequenceIsOneToken() {
        let family = "\u{1F469}\u{200D}\u{1F469}\u{200D}\u{1F467}"  // 👩‍👩‍👧
        XCTAssertEqual(scalarValues(nfc.graphemes("a" + family + "b")), [[0x61], scalarValues(family), [0x62]])
    }

    func testFlagsPairTheirRegionalIndicators() {
        let brazil = "\u{1F1E7}\u{1F1F7}"
        let portugal = "\u{1F1F5}\u{1F1F9}"
        XCTAssertEqual(scalarValues(nfc.graphemes(brazil + portugal)), [scalarValues(brazil), scalarValues(portugal)])
        // An odd one out stays alone rather than pairing with the next flag's first half.
        XCTAssertEqual(
            scalarValues(nfc.graphemes(brazil + "\u{1F1F5}")), [scalarValues(brazil), [0x1F1F5]])
    }

    func testHangulSyllablesAndConjoiningJamo() {
        XCTAssertEqual(scalarValues(nfc.graphemes("\u{D55C}\u{AD6D}")), [[0xD55C], [0xAD6D]])
        // HIEUH, A, NIEUN as conjoining jamo: one cluster, which NFC composes into the syllable 한.
        let jamo = "\u{1112}\u{1161}\u{11AB}"
        XCTAssertEqual(scalarValues(none.graphemes(jamo)), [[0x1112, 0x1161, 0x11AB]])
        XCTAssertEqual(scalarValues(nfc.graphemes(jamo)), [[0xD55C]])
    }

    func testCombiningSequencesWithoutPrecomposedForm() {
        XCTAssertEqual(scalarValues(nfc.graphemes("q\u{303}a")), [[0x71, 0x303], [0x61]])
        // Canonical order puts the dot below (class 220) before the tilde (230); only a + dot below composes.
        let expected: [[UInt32]] = [[0x1EA1, 0x303]]
        XCTAssertEqual(scalarValues(nfc.graphemes("a\u{303}\u{323}")), expected)
        XCTAssertEqual(scalarValues(nfc.graphemes("a\u{323}\u{303}")), expected)
    }

    func testCarriageReturnLineFeedIsOneCluster() {
        XCTAssertEqual(none.graphemes("a\r\nb"), ["a", "\r\n", "b"])
        XCTAssertEqual(none.graphemes("\n\r"), ["\n", "\r"])
    }

    func testLineBreaksFromFilesAreSingleLineFeeds() throws {
        let text = try decodeText(Array("um\r\ndois\rtr\u{EA}s".utf8), encoding: .utf8, source: "x")
        XCTAssertEqual(nfc.graphemes(text).filter { $0 == "\n" }.count, 2)
        XCTAssertFalse(nfc.graphemes(text).contains { $0.unicodeScalars.contains("\r") })
    }

    func testTokensConcatenateToTheNormalizedText() {
        let text = "Ol\u{E1}, voce\u{302} 👩‍👩‍👧 \u{1F1E7}\u{1F1F7}!\n"
        XCTAssertEqual(scalarValues(nfc.graphemes(text).joined()), scalarValues(nfc.normalize(text)))
    }
}
