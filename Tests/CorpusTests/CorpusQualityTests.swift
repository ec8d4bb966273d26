import Foundation
import Tokenizer
import XCTest

/// The bundled corpus is real, varied, original text: these are the checks that can be made mechanically.
final class CorpusQualityTests: XCTestCase {
    static let projectRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let corpusFolder = projectRoot.appendingPathComponent("Corpus").path
    /// Text written under the same rules that nothing trains on by default (Corpus-extra/README.md).
    static let extraFolder = projectRoot.appendingPathComponent("Corpus-extra").path

    private func corpus() throws -> [TextFile] {
        let files = try loadTextFiles(at: Self.corpusFolder, encoding: .utf8)
        XCTAssertGreaterThanOrEqual(files.count, 12, "many files of different registers")
        return files
    }

    /// The corpus, then the extra text.
    private func bothFolders() throws -> [TextFile] {
        let extra = try loadTextFiles(at: Self.extraFolder, encoding: .utf8)
        XCTAssertGreaterThanOrEqual(extra.count, 8)
        return try corpus() + extra
    }

    func testEveryFileIsValidUTF8AndAlreadyNFC() throws {
        let tokenizer = Tokenizer(options: TokenizerOptions(normalization: .nfc))
        for file in try bothFolders() {
            let raw = try XCTUnwrap(FileManager.default.contents(atPath: file.path))
            XCTAssertEqual(Array(file.text.utf8), Array(raw), "\(file.path) has a BOM or CR line ends")
            XCTAssertEqual(tokenizer.normalize(file.text), file.text, "\(file.path) is not NFC")
        }
    }

    /// A megabyte: a tenth of that leaves a character model overfitting before it beats counting.
    func testAtLeastOneMegabyte() throws {
        let bytes = try corpus().reduce(0) { $0 + $1.text.utf8.count }
        XCTAssertGreaterThanOrEqual(bytes, 1_000_000)
    }

    /// No 200-character window occurs twice anywhere in the two folders (pasted or templated text would, and a
    /// passage of the extra text found in the corpus would not be unseen): every window's hash is recorded, and
    /// a repeated hash is confirmed by comparing the text itself.
    func testNoRepeatedTwoHundredCharacterWindow() throws {
        let width = 200
        var seen = [Int: (file: Int, start: Int)]()
        let files = try bothFolders().map { Array($0.text.unicodeScalars) }
        var windows = 0
        for (f, scalars) in files.enumerated() where scalars.count >= width {
            for start in 0...(scalars.count - width) {
                var hasher = Hasher()
                for s in scalars[start..<(start + width)] { hasher.combine(s) }
                let h = hasher.finalize()
                windows += 1
                if let earlier = seen[h] {
                    let a = files[earlier.file][earlier.start..<(earlier.start + width)]
                    let b = scalars[start..<(start + width)]
                    if a.elementsEqual(b) {
                        XCTFail("repeated window: \(String(String.UnicodeScalarView(b)).prefix(60))…")
                        return
                    }
                } else {
                    seen[h] = (f, start)
                }
            }
        }
        XCTAssertGreaterThan(windows, 2_000_000)
    }

    func testAtLeast20000DistinctWordForms() throws {
        var words = Set<String>()
        for file in try corpus() {
            var word = ""
            for ch in file.text.lowercased() {
                if ch.isLetter { word.append(ch) } else if !word.isEmpty { words.insert(word); word = "" }
            }
            if !word.isEmpty { words.insert(word) }
        }
        XCTAssertGreaterThanOrEqual(words.count, 20_000)
    }

    /// Each folder's README.md lists every file with its exact size in bytes.
    func testReadmeListsEveryFileWithItsSize() throws {
        for folder in [Self.corpusFolder, Self.extraFolder] {
            let readme = try String(contentsOfFile: folder + "/README.md", encoding: .utf8)
            for file in try loadTextFiles(at: folder, encoding: .utf8) {
                let name = URL(fileURLWithPath: file.path).lastPathComponent
                let row = readme.split(separator: "\n").first { $0.contains("`\(name)`") }
                let unwrapped = try XCTUnwrap(row, "\(folder)/README.md does not list \(name)")
                XCTAssertTrue(unwrapped.contains("| \(file.text.utf8.count) |"), "size of \(name) in \(folder)/README.md")
            }
        }
    }
}
