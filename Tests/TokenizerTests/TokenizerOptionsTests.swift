import Foundation
import Tokenizer
import XCTest

final class TokenizerOptionsTests: XCTestCase {
    private var everyCombination: [TokenizerOptions] {
        Normalization.allCases.flatMap { normalization in
            [false, true].flatMap { caseFold in
                [false, true].map { TokenizerOptions(normalization: normalization, caseFold: caseFold, stripAccents: $0) }
            }
        }
    }

    func testDefaults() {
        XCTAssertEqual(TokenizerOptions(), TokenizerOptions(normalization: .nfc, caseFold: false, stripAccents: false))
        XCTAssertEqual(
            TokenizerOptions().metadata, ["normalization": "nfc", "case_fold": "false", "strip_accents": "false"])
    }

    func testMetadataRoundTrip() throws {
        for options in everyCombination {
            XCTAssertEqual(try TokenizerOptions(metadata: options.metadata), options)
        }
    }

    func testMetadataIgnoresOtherKeysAndDefaultsMissingOnes() throws {
        let options = try TokenizerOptions(metadata: ["normalization": "nfd", "hidden_size": "256"])
        XCTAssertEqual(options, TokenizerOptions(normalization: .nfd))
    }

    func testInvalidMetadataNamesKeyAndValue() {
        XCTAssertThrowsError(try TokenizerOptions(metadata: ["normalization": "nfkd"])) { error in
            XCTAssertEqual(error as? TextError, .invalidOption(key: "normalization", value: "nfkd"))
            XCTAssertEqual(
                "\(error)", "invalid tokenizer option normalization=nfkd (expected one of nfc, nfd, nfkc, none)")
        }
        XCTAssertThrowsError(try TokenizerOptions(metadata: ["case_fold": "yes"])) { error in
            XCTAssertEqual(error as? TextError, .invalidOption(key: "case_fold", value: "yes"))
            XCTAssertEqual("\(error)", "invalid tokenizer option case_fold=yes (expected one of true, false)")
        }
        XCTAssertThrowsError(try TokenizerOptions(metadata: ["strip_accents": "1"])) { error in
            XCTAssertEqual(error as? TextError, .invalidOption(key: "strip_accents", value: "1"))
        }
    }

    func testCodableRoundTrip() throws {
        for options in everyCombination {
            let data = try JSONEncoder().encode(options)
            XCTAssertEqual(try JSONDecoder().decode(TokenizerOptions.self, from: data), options)
        }
    }
}
