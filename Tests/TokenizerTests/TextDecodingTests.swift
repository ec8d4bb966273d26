import Tokenizer
import XCTest

final class TextDecodingTests: XCTestCase {
    private let hint = "if the file is Latin-1, pass --encoding latin1"

    private func decodingError(_ bytes: [UInt8], encoding: TextEncoding = .utf8) -> TextError? {
        do {
            let text = try decodeText(bytes, encoding: encoding, source: "Corpus/x.txt")
            XCTFail("decoded \(text.debugDescription) from invalid input")
            return nil
        } catch {
            return error
        }
    }

    func testTruncatedSequenceAtEnd() {
        let error = decodingError([0x61, 0x62, 0xE3, 0x81])
        XCTAssertEqual(error, .invalidUTF8(source: "Corpus/x.txt", offset: 2, bytes: [0xE3, 0x81]))
        XCTAssertEqual(error?.description, "Corpus/x.txt: invalid UTF-8 at byte 2 (0xE3 0x81); \(hint)")
        XCTAssertEqual(decodingError([0x61, 0xE3]), .invalidUTF8(source: "Corpus/x.txt", offset: 1, bytes: [0xE3]))
    }

    func testOverlongEncoding() {
        let error = decodingError([0x41, 0xC0, 0xAF])
        XCTAssertEqual(error, .invalidUTF8(source: "Corpus/x.txt", offset: 1, bytes: [0xC0, 0xAF]))
        XCTAssertEqual(error?.description, "Corpus/x.txt: invalid UTF-8 at byte 1 (0xC0 0xAF); \(hint)")
    }

    func testEncodedSurrogate() {
        let error = decodingError([0xED, 0xA0, 0x80])
        XCTAssertEqual(error, .invalidUTF8(source: "Corpus/x.txt", offset: 0, bytes: [0xED, 0xA0]))
        XCTAssertEqual(error?.description, "Corpus/x.txt: invalid UTF-8 at byte 0 (0xED 0xA0); \(hint)")
    }

    func testByteFF() {
        let error = decodingError([0x61, 0xFF])
        XCTAssertEqual(error, .invalidUTF8(source: "Corpus/x.txt", offset: 1, bytes: [0xFF]))
        XCTAssertEqual(error?.description, "Corpus/x.txt: invalid UTF-8 at byte 1 (0xFF); \(hint)")
    }

    func testStrayContinuationByte() {
        let error = decodingError([0x61, 0x62, 0x63, 0x80, 0x0A])
        XCTAssertEqual(error, .invalidUTF8(source: "Corpus/x.txt", offset: 3, bytes: [0x80, 0x0A]))
        XCTAssertEqual(error?.description, "Corpus/x.txt: invalid UTF-8 at byte 3 (0x80 0x0A); \(hint)")
    }

    func testOffsetsCountTheByteOrderMark() {
        XCTAssertEqual(
            decodingError([0xEF, 0xBB, 0xBF, 0x61, 0xFF]), .invalidUTF8(source: "Corpus/x.txt", offset: 4, bytes: [0xFF]))
    }

    func testLatin1Text() throws {
        let bytes: [UInt8] = [0x61, 0xE7, 0xE3, 0x6F]  // "ação" in ISO-8859-1
        XCTAssertEqual(scalarValues(try decodeText(bytes, encoding: .latin1, source: "x")), [0x61, 0xE7, 0xE3, 0x6F])
        let error = decodingError(bytes)
        XCTAssertEqual(error, .invalidUTF8(source: "Corpus/x.txt", offset: 1, bytes: [0xE7, 0xE3]))
        XCTAssertEqual(error?.description, "Corpus/x.txt: invalid UTF-8 at byte 1 (0xE7 0xE3); \(hint)")
    }

    func testLatin1CoversEveryByte() throws {
        let bytes = (UInt8(1)...UInt8(255)).filter { $0 != 0x0D }
        XCTAssertEqual(scalarValues(try decodeText(bytes, encoding: .latin1, source: "x")), bytes.map(UInt32.init))
    }

    func testValidUTF8IsKeptExactly() throws {
        let text = "ac\u{327}a\u{303}o, p\u{E3}o, \u{D55C}, \u{1F1E7}\u{1F1F7}, \u{10FFFF}"
        XCTAssertEqual(scalarValues(try decodeText(Array(text.utf8), encoding: .utf8, source: "x")), scalarValues(text))
    }

    func testByteOrderMarkIsDropped() throws {
        XCTAssertEqual(try decodeText([0xEF, 0xBB, 0xBF, 0x61], encoding: .utf8, source: "x"), "a")
        XCTAssertEqual(try decodeText([0xEF, 0xBB, 0xBF], encoding: .utf8, source: "x"), "")
        // Only at the start: elsewhere it is a ZERO WIDTH NO-BREAK SPACE, part of the text.
        XCTAssertEqual(
            scalarValues(try decodeText([0x61, 0xEF, 0xBB, 0xBF], encoding: .utf8, source: "x")), [0x61, 0xFEFF])
    }

    func testNulIsRefused() {
        let error = decodingError([0x61, 0x62, 0x00, 0x63])
        XCTAssertEqual(error, .nulByte(source: "Corpus/x.txt", offset: 2))
        XCTAssertEqual(error?.description, "Corpus/x.txt: NUL byte at byte 2; this does not look like a text file")
        XCTAssertEqual(decodingError([0x00], encoding: .latin1), .nulByte(source: "Corpus/x.txt", offset: 0))
    }

    func testLineBreaksBecomeLineFeeds() throws {
        let bytes = Array("a\r\nb\rc\n\r\n\r".utf8)
        for encoding in TextEncoding.allCases {
            XCTAssertEqual(try decodeText(bytes, encoding: encoding, source: "x"), "a\nb\nc\n\n\n", "\(encoding)")
        }
        XCTAssertEqual(try decodeText(Array("\u{E3}\r\n".utf8), encoding: .utf8, source: "x"), "\u{E3}\n")
    }

    func testRawBufferVariant() throws {
        let bytes: [UInt8] = [0x70, 0xC3, 0xA3, 0x6F]
        let text = try bytes.withUnsafeBytes { try decodeText($0, encoding: .utf8, source: "x") }
        XCTAssertEqual(scalarValues(text), [0x70, 0xE3, 0x6F])
    }
}
