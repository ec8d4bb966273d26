import Foundation
import Tokenizer
import XCTest

/// Every text of the bundled corpus, under every tokenizer configuration, must survive
/// tokenize → build vocabulary → encode → decode unchanged up to normalization.
final class CorpusRoundTripTests: XCTestCase {
    private static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Corpus").path

    private static let configurations: [(name: String, options: TokenizerOptions)] = [
        ("nfc", .init(normalization: .nfc)),
        ("nfd", .init(normalization: .nfd)),
        ("nfkc", .init(normalization: .nfkc)),
        ("none", .init(normalization: .none)),
        ("nfc+caseFold", .init(caseFold: true)),
        ("nfc+stripAccents", .init(stripAccents: true)),
        ("nfc+caseFold+stripAccents", .init(caseFold: true, stripAccents: true)),
    ]

    func testCorpusRoundTrips() throws {
        let files = try loadTextFiles(at: Self.corpus, encoding: .utf8)
        XCTAssertFalse(files.isEmpty)
        for (name, options) in Self.configurations {
            let tokenizer = Tokenizer(options: options)
            let tokensByFile = files.map { tokenizer.graphemes($0.text) }
            let vocabulary = Vocabulary(building: tokensByFile.joined())
            for (file, tokens) in zip(files, tokensByFile) {
                let normalized = tokenizer.normalize(file.text)
                let encoded = vocabulary.encode(tokens)
                XCTAssertEqual(encoded.unknownCount, 0, "\(name): \(file.path)")
                // Bytes, not strings: String's == would accept a canonically equivalent result.
                XCTAssertEqual(
                    Array(vocabulary.decode(encoded.ids).utf8), Array(normalized.utf8), "\(name): \(file.path)")
            }
            print("Corpus (\(files.count) files) vocabulary under \(name): \(vocabulary.count) tokens including <unk>")
        }
    }
}
