import Tokenizer
import XCTest

/// Checks segmentation and normalization against every line of Unicode's own test files.
final class UnicodeConformanceTests: XCTestCase {
    /// Lines look like "÷ 0020 × 0308 ÷ 000D ÷": scalars with "÷" where a cluster boundary must be and
    /// "×" where there must be none.
    func testGraphemeBreakTest() throws {
        let segmenter = Tokenizer(options: .init(normalization: .none))
        var cases = 0
        for line in try UnicodeTestData.lines(of: UnicodeTestData.graphemeBreakTest) {
            var clusters: [[UInt32]] = []
            var current: [UInt32] = []
            for field in line.data.split(separator: " ") {
                switch field {
                case "÷":
                    if !current.isEmpty { clusters.append(current) }
                    current = []
                case "×":
                    continue
                default:
                    guard let value = UInt32(field, radix: 16) else {
                        return XCTFail("line \(line.number): cannot read \(field)")
                    }
                    current.append(value)
                }
            }
            guard let text = string(ofScalarValues: clusters.flatMap { $0 }) else {
                return XCTFail("line \(line.number): not Unicode scalars: \(line.data)")
            }
            XCTAssertEqual(scalarValues(segmenter.graphemes(text)), clusters, "line \(line.number): \(line.data)")
            cases += 1
        }
        // Unicode 15.0's file holds 602 cases.
        XCTAssertGreaterThanOrEqual(cases, 600)
    }

    /// Lines hold five columns c1;c2;c3;c4;c5 and require, per the file's header:
    /// c2 == NFC(c1) == NFC(c2) == NFC(c3), c4 == NFC(c4) == NFC(c5);
    /// c3 == NFD(c1) == NFD(c2) == NFD(c3), c5 == NFD(c4) == NFD(c5);
    /// c4 == NFKC(c1) == NFKC(c2) == NFKC(c3) == NFKC(c4) == NFKC(c5).
    func testNormalizationTest() throws {
        let nfc = Tokenizer(options: .init(normalization: .nfc))
        let nfd = Tokenizer(options: .init(normalization: .nfd))
        let nfkc = Tokenizer(options: .init(normalization: .nfkc))
        var cases = 0
        var failures = 0
        for line in try UnicodeTestData.lines(of: UnicodeTestData.normalizationTest) where !line.data.hasPrefix("@") {
            let columns = line.data.split(separator: ";", omittingEmptySubsequences: false).prefix(5)
                .compactMap { UnicodeTestData.scalarValues(hex: $0).flatMap(string(ofScalarValues:)) }
            guard columns.count == 5 else {
                return XCTFail("line \(line.number): cannot read \(line.data)")
            }
            let expectations: [(Tokenizer, [Int], Int)] = [
                (nfc, [0, 1, 2], 1), (nfc, [3, 4], 3),
                (nfd, [0, 1, 2], 2), (nfd, [3, 4], 4),
                (nfkc, [0, 1, 2, 3, 4], 3),
            ]
            for (tokenizer, sources, expected) in expectations {
                for source in sources
                where scalarValues(tokenizer.normalize(columns[source])) != scalarValues(columns[expected]) {
                    failures += 1
                    // Enough to diagnose without burying the report under thousands of lines.
                    if failures <= 20 {
                        XCTFail("line \(line.number): \(tokenizer.options.normalization)(c\(source + 1)) != c\(expected + 1)")
                    }
                }
            }
            cases += 1
        }
        XCTAssertEqual(failures, 0)
        // Unicode 15.0's file holds 19,074 cases.
        XCTAssertGreaterThan(cases, 15_000)
    }
}
