import Tokenizer
import XCTest

final class NormalizationTests: XCTestCase {
    private let nfc = Tokenizer(options: .init(normalization: .nfc))
    private let nfd = Tokenizer(options: .init(normalization: .nfd))
    private let nfkc = Tokenizer(options: .init(normalization: .nfkc))
    private let none = Tokenizer(options: .init(normalization: .none))

    /// Each word as one precomposed and one decomposed spelling.
    private let portuguese: [(precomposed: String, decomposed: String)] = [
        ("a\u{E7}\u{E3}o", "ac\u{327}a\u{303}o"),  // ação
        ("p\u{E3}o", "pa\u{303}o"),  // pão
        ("voc\u{EA}", "voce\u{302}"),  // você
        ("\u{E0}", "a\u{300}"),  // à
        ("\u{C3}", "A\u{303}"),  // Ã
    ]

    func testPrecomposedAndDecomposedPortugueseGiveIdenticalTokens() {
        for tokenizer in [nfc, nfd, nfkc] {
            for word in portuguese {
                XCTAssertEqual(
                    scalarValues(tokenizer.graphemes(word.precomposed)),
                    scalarValues(tokenizer.graphemes(word.decomposed)),
                    "\(tokenizer.options.normalization): \(word.precomposed)")
            }
        }
    }

    func testNFCComposesAndNFDDecomposes() {
        XCTAssertEqual(scalarValues(nfc.graphemes("ac\u{327}a\u{303}o")), [[0x61], [0xE7], [0xE3], [0x6F]])
        XCTAssertEqual(
            scalarValues(nfd.graphemes("a\u{E7}\u{E3}o")), [[0x61], [0x63, 0x327], [0x61, 0x303], [0x6F]])
    }

    func testTildeAIsOneTokenEitherWay() {
        XCTAssertEqual(scalarValues(nfc.graphemes("\u{E3}")), [[0xE3]])
        XCTAssertEqual(scalarValues(nfc.graphemes("a\u{303}")), [[0xE3]])
        XCTAssertEqual(scalarValues(nfd.graphemes("\u{E3}")), [[0x61, 0x303]])
    }

    func testNoneKeepsTheTextAsWritten() {
        XCTAssertEqual(scalarValues(none.normalize("pa\u{303}o p\u{E3}o")), scalarValues("pa\u{303}o p\u{E3}o"))
        XCTAssertEqual(scalarValues(none.graphemes("a\u{303}\u{E3}")), [[0x61, 0x303], [0xE3]])
    }

    func testCaseFolding() {
        let folding = Tokenizer(options: .init(caseFold: true))
        XCTAssertEqual(scalarValues(folding.normalize("A\u{C7}\u{C3}O Você")), scalarValues("a\u{E7}\u{E3}o voc\u{EA}"))
        // Full case folding: one letter can fold to two.
        XCTAssertEqual(folding.graphemes("Stra\u{DF}e"), ["s", "t", "r", "a", "s", "s", "e"])
        let foldingOnly = Tokenizer(options: .init(normalization: .none, caseFold: true))
        XCTAssertEqual(scalarValues(foldingOnly.normalize("A\u{303}")), [0x61, 0x303])
    }

    func testStripAccents() {
        for normalization in Normalization.allCases {
            let stripping = Tokenizer(options: .init(normalization: normalization, stripAccents: true))
            XCTAssertEqual(stripping.normalize("a\u{E7}\u{E3}o"), "acao", "\(normalization)")
            XCTAssertEqual(stripping.normalize("ac\u{327}a\u{303}o"), "acao", "\(normalization)")
            XCTAssertEqual(stripping.normalize("Voc\u{EA} est\u{E1} \u{E0} m\u{E3}e"), "Voce esta a mae")
        }
        let both = Tokenizer(options: .init(caseFold: true, stripAccents: true))
        XCTAssertEqual(both.normalize("A\u{C7}\u{C3}O"), "acao")
    }

    func testStripAccentsKeepsSpacingMarks() {
        // Devanagari KA + VOWEL SIGN I (Mc) + SIGN ANUSVARA (Mn): the vowel is part of the word.
        let stripping = Tokenizer(options: .init(stripAccents: true))
        XCTAssertEqual(scalarValues(stripping.normalize("\u{915}\u{93F}\u{902}")), [0x915, 0x93F])
    }

    func testStripAccentsRecomposesWhatIsNotAnAccent() {
        // A Hangul syllable decomposes into jamo, none of them a mark: it must come back whole.
        let stripping = Tokenizer(options: .init(stripAccents: true))
        XCTAssertEqual(scalarValues(stripping.normalize("\u{D55C}")), [0xD55C])
    }

    func testNFKCFoldsCompatibilityCharacters() {
        XCTAssertEqual(nfkc.graphemes("\u{FB01}m"), ["f", "i", "m"])
        XCTAssertEqual(scalarValues(nfc.graphemes("\u{FB01}m")), [[0xFB01], [0x6D]])
        XCTAssertEqual(nfkc.normalize("x\u{B2}"), "x2")
    }

    func testNormalizationExpandingFarBeyondTheInputLength() {
        // U+FDFA is 3 bytes of UTF-8 and 18 scalars under NFKC, more than a buffer sized from the input holds.
        XCTAssertEqual(nfkc.normalize("\u{FDFA}").unicodeScalars.count, 18)
    }

    func testEmbeddedNulDoesNotEndTheText() {
        XCTAssertEqual(scalarValues(nfc.normalize("a\u{0}a\u{303}")), [0x61, 0x0, 0xE3])
    }

    func testEmptyText() {
        XCTAssertEqual(nfc.normalize(""), "")
        XCTAssertEqual(nfc.graphemes(""), [])
    }
}
