import Foundation
import XCTest

/// `nlp-vanish baseline` through the built binary, on a small corpus written for the test.
final class BaselineCommandTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws {
        dir = try ToolRunner.temporaryFolder(self).path
        // Two files of sentences recombined in a fixed order: enough repetition for long contexts to pay off.
        let subjects = ["A velha da ponte", "O pescador", "A menina do moinho", "O carteiro", "A tia Rosário"]
        let verbs = ["contou", "esqueceu", "guardou", "levou ao mercado", "deixou junto ao rio"]
        let objects = ["uma história comprida", "o cesto das laranjas", "a chave do celeiro", "três cartas antigas",
                       "o chapéu de palha"]
        for (index, name) in ["um.txt", "dois.txt"].enumerated() {
            var text = ""
            var state = 17 + index * 31
            for _ in 0..<400 {
                state = (state * 1103 + 12345) % 65_536
                text += "\(subjects[state % 5]) \(verbs[(state / 5) % 5]) \(objects[(state / 25) % 5]).\n"
            }
            try text.write(toFile: "\(dir)/corpus/\(name)".creatingFolder(), atomically: true, encoding: .utf8)
        }
    }

    private func runJSON(_ arguments: [String]) throws -> [String: Any] {
        let r = try ToolRunner.run(["baseline", "--corpus", "\(dir)/corpus", "--json"] + arguments)
        XCTAssertEqual(r.status, 0, r.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
    }

    private func validationBits(_ object: [String: Any]) throws -> Double {
        let validation = try XCTUnwrap(object["validation"] as? [String: Any])
        return try XCTUnwrap(validation["bits_per_char"] as? Double)
    }

    func testJSONReportsFiniteBitsAndHigherOrdersWin() throws {
        let seven = try runJSON([])
        XCTAssertEqual(seven["order"] as? Int, 7)
        let bits7 = try validationBits(seven)
        XCTAssertTrue(bits7.isFinite && bits7 > 0, "\(bits7)")
        let validation = try XCTUnwrap(seven["validation"] as? [String: Any])
        XCTAssertEqual(bits7, (validation["loss_nats"] as! Double) / log(2), accuracy: 1e-9)
        XCTAssertGreaterThan(validation["chars"] as! Int, 1_000)
        XCTAssertEqual((seven["discounts"] as? [[Double]])?.count, 7)
        let vocabulary = try XCTUnwrap(seven["vocabulary"] as? Int)
        XCTAssertNil(seven["text"])

        let bits1 = try validationBits(try runJSON(["--order", "1"]))
        XCTAssertLessThan(bits1, log2(Double(vocabulary)))
        XCTAssertLessThan(bits7, bits1 - 1, "order 7 \(bits7) against order 1 \(bits1)")
    }

    func testPlainOutputAndAnotherText() throws {
        let other = "\(dir)/outro.txt"
        // "ß" and "€" never occur in the corpus: they become <unk>, with a warning.
        let paragraph = "O pescador contou uma história comprida ao carteiro.\nA tia Rosário guardou 3 € e um ß.\n"
        try paragraph.write(toFile: other, atomically: true, encoding: .utf8)
        let r = try ToolRunner.run(["baseline", "--corpus", "\(dir)/corpus", "--order", "5", "--text", other])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("validation bits per character:"), r.stdout)
        XCTAssertTrue(r.stdout.contains("\(other): "), r.stdout)
        XCTAssertTrue(r.stderr.contains("not in the corpus's vocabulary"), r.stderr)

        let object = try runJSON(["--order", "5", "--text", other])
        let text = try XCTUnwrap(object["text"] as? [String: Any])
        XCTAssertEqual(text["path"] as? String, other)
        XCTAssertGreaterThan(text["unknown_chars"] as! Int, 0)
        let bits = try XCTUnwrap(text["bits_per_char"] as? Double)
        XCTAssertTrue(bits.isFinite && bits > 0)
        let chars = try XCTUnwrap(text["chars"] as? Int)
        XCTAssertEqual(chars, paragraph.count - 1)   // every grapheme after the first
    }

    func testBadFlagsAndInputs() throws {
        let zero = try ToolRunner.run(["baseline", "--corpus", "\(dir)/corpus", "--order", "0"])
        XCTAssertEqual(zero.status, 2, zero.stderr)
        XCTAssertTrue(zero.stderr.contains("--order must be between 1 and 12 (got 0)"), zero.stderr)
        let big = try ToolRunner.run(["baseline", "--corpus", "\(dir)/corpus", "--order", "13"])
        XCTAssertEqual(big.status, 2, big.stderr)
        let fraction = try ToolRunner.run(["baseline", "--corpus", "\(dir)/corpus", "--val-fraction", "0.9"])
        XCTAssertEqual(fraction.status, 2, fraction.stderr)
        XCTAssertTrue(fraction.stderr.contains("--val-fraction"), fraction.stderr)
        let missing = try ToolRunner.run(["baseline", "--corpus", "\(dir)/nowhere"])
        XCTAssertEqual(missing.status, 1, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("\(dir)/nowhere"), missing.stderr)
        let missingText = try ToolRunner.run(["baseline", "--corpus", "\(dir)/corpus", "--text", "\(dir)/nada.txt"])
        XCTAssertEqual(missingText.status, 1, missingText.stderr)
        XCTAssertTrue(missingText.stderr.contains("\(dir)/nada.txt"), missingText.stderr)
        try "x".write(toFile: "\(dir)/short.txt", atomically: true, encoding: .utf8)
        let short = try ToolRunner.run(["baseline", "--corpus", "\(dir)/short.txt"])
        XCTAssertEqual(short.status, 1, short.stderr)
        XCTAssertTrue(short.stderr.contains("too few to score"), short.stderr)
        let tiny = "\(dir)/um-caractere.txt"
        try "a".write(toFile: tiny, atomically: true, encoding: .utf8)
        let oneChar = try ToolRunner.run(["baseline", "--corpus", "\(dir)/corpus", "--text", tiny])
        XCTAssertEqual(oneChar.status, 1, oneChar.stderr)
        XCTAssertTrue(oneChar.stderr.contains("\(tiny): fewer than two characters"), oneChar.stderr)
        for r in [zero, big, fraction, missing, missingText, short, oneChar] {
            XCTAssertFalse(r.stderr.contains("Fatal error"), r.stderr)
        }
    }
}

private extension String {
    /// The path itself, after creating its parent folder.
    func creatingFolder() throws -> String {
        try FileManager.default.createDirectory(atPath: (self as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        return self
    }
}
